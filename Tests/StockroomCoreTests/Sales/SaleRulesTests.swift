import Foundation
import Testing

@testable import StockroomDomain

/// The sale's pure rules, without a database or HTTP (the route suites cover them end to end): tax, lines merged,
/// validation, totals and the discount's share.
@Suite("Sale rules")
struct SaleRulesTests {
    @Test("tax on top of prices and included in them, rounded half up to the cent; no rate, no tax")
    func tax() {
        let onTop = TaxSettings(rateBasisPoints: 2_100, pricesIncludeTax: false)
        #expect(onTop.apply(to: 1_000) == (tax: 210, total: 1_210))
        // 10 % of 5 cents is half a cent: up, to 1
        #expect(TaxSettings(rateBasisPoints: 1_000, pricesIncludeTax: false).apply(to: 5) == (tax: 1, total: 6))
        #expect(TaxSettings(rateBasisPoints: 1_000, pricesIncludeTax: false).apply(to: 4) == (tax: 0, total: 4))
        let included = TaxSettings(rateBasisPoints: 2_100, pricesIncludeTax: true)
        #expect(included.apply(to: 1_210) == (tax: 210, total: 1_210))
        // 1 cent at 21 % included: its net rounds to 1, so no tax is carved out of it
        #expect(included.apply(to: 1) == (tax: 0, total: 1))
        #expect(TaxSettings(rateBasisPoints: 0, pricesIncludeTax: true).apply(to: 999) == (tax: 0, total: 999))
    }

    @Test("one product on several lines with the same discount becomes one line, in the order first seen; other discounts stay apart")
    func merging() {
        let merged = SaleService.merged([
            .init(productID: 7, quantity: 1), .init(productID: 3, quantity: 2), .init(productID: 7, quantity: 4),
            .init(productID: 7, quantity: 1, discountBasisPoints: 500), .init(productID: 3, quantity: 1),
        ])
        #expect(merged.map(\.productID) == [7, 3, 7])
        #expect(merged.map(\.quantity) == [5, 3, 1])
        #expect(merged.map(\.discountBasisPoints) == [nil, nil, 500])
    }

    @Test("a sale's lines are refused with the field to fix: none, too many, a bad id, a quantity or a discount out of range")
    func validation() throws {
        func refusedField(_ lines: [SaleRequest.Line]) -> String? {
            do {
                try SaleService.validate(lines)
                return nil
            } catch let error as ShopError {
                #expect(error.kind == .invalid && error.code == "invalid_field")
                guard case .string(let field)? = error.facts["field"] else { return "?" }
                return field
            } catch {
                return "unexpected \(error)"
            }
        }
        #expect(refusedField([]) == "lines")
        #expect(refusedField(Array(repeating: .init(productID: 1, quantity: 1), count: SaleService.maxLines + 1)) == "lines")
        #expect(refusedField([.init(productID: 0, quantity: 1)]) == "product")
        #expect(refusedField([.init(productID: 1, quantity: 0)]) == "quantity")
        #expect(refusedField([.init(productID: 1, quantity: 1_000_001)]) == "quantity")
        #expect(refusedField([.init(productID: 1, quantity: 1, discountBasisPoints: 10_001)]) == "lineDiscount")
        #expect(refusedField([.init(productID: 1, quantity: 1_000_000, discountBasisPoints: 10_000)]) == nil)
        #expect(refusedField(Array(repeating: .init(productID: 1, quantity: 1), count: SaleService.maxLines)) == nil)
    }

    @Test("totals: subtotal of the lines, the sale's discount off it, then the tax; a discount past the subtotal is refused")
    func totals() throws {
        var sale = Self.sale(
            lines: [(price: 250, quantity: 2, lineTotal: 450), (price: 100, quantity: 1, lineTotal: 100)], discount: 50,
            tax: TaxSettings(rateBasisPoints: 1_000, pricesIncludeTax: false))
        try SaleService.total(&sale)
        #expect(sale.subtotalCents == 550 && sale.taxCents == 50 && sale.totalCents == 550)
        let share = SaleService.discountShare(sale)
        #expect(share.gross == 600 && share.given == 100, "50 off the first line and 50 off the sale")

        var tooMuch = Self.sale(
            lines: [(price: 100, quantity: 1, lineTotal: 100)], discount: 101, tax: TaxSettings(rateBasisPoints: 0, pricesIncludeTax: false))
        #expect(throws: ShopError.self) { try SaleService.total(&tooMuch) }
    }

    static func sale(lines: [(price: Int64, quantity: Int64, lineTotal: Int64)], discount: Int64, tax: TaxSettings) -> Sale {
        Sale(
            id: 0, companyID: 1, storeID: 1, vendorID: 1, vendorName: "v", billNumber: 0, status: .completed, paymentMethod: .cash,
            customer: nil, subtotalCents: 0, discountCents: discount, taxCents: 0, totalCents: 0, tax: tax,
            lines: lines.enumerated().map { index, line in
                SaleLine(
                    productID: Int64(index + 1), productName: "p\(index)", quantity: line.quantity, unitPriceCents: line.price, unitCostCents: 0,
                    discountBasisPoints: 0, lineTotalCents: line.lineTotal)
            },
            createdAt: Date(timeIntervalSince1970: 0), updatedAt: Date(timeIntervalSince1970: 0))
    }
}

/// The shop's wall-clock arithmetic (`LocalClock`, `LocalDay`) on its own: days and hours on the local clock across
/// a daylight-saving change, and day numbers both ways.
@Suite("The local clock")
struct LocalClockTests {
    @Test("Madrid's spring-forward day has 23 hours: its midnight and the next are 23 hours apart, and hours count on the wall clock")
    func daylightSaving() throws {
        let clock = LocalClock(timeZone: try #require(TimeZone(identifier: "Europe/Madrid")))
        let day = LocalDay.number(year: 2026, month: 3, day: 29)
        let midnight = clock.start(ofDay: day)
        #expect(midnight == Self.milliseconds("2026-03-28T23:00:00Z"), "midnight in Madrid is 23:00 UTC in winter")
        #expect(clock.start(ofDay: day + 1) - midnight == 23 * LocalClock.millisecondsPerHour)
        #expect(clock.day(at: midnight) == day && clock.day(at: midnight - 1) == day - 1)
        // 01:59:59 winter time, then 03:00 summer time: one second apart, two wall-clock hours apart
        let before = Self.milliseconds("2026-03-29T00:59:59Z")
        let after = Self.milliseconds("2026-03-29T01:00:00Z")
        #expect(clock.hour(at: after) - clock.hour(at: before) == 2)
        let runs = clock.offsetRuns(from: midnight, to: clock.start(ofDay: day + 1))
        #expect(runs.map(\.offset) == [3_600_000, 7_200_000])
    }

    @Test("day numbers: 1970-01-01 is day 0, the round trip holds across leap days and before 1970; floors go down for negatives")
    func dayNumbers() {
        #expect(LocalDay.number(year: 1970, month: 1, day: 1) == 0)
        #expect(LocalDay.number(year: 2000, month: 3, day: 1) == 11_017)
        #expect(LocalDay.number(year: 1969, month: 12, day: 31) == -1)
        for number in [-800_000, -1, 0, 59, 11_016, 11_017, 20_000, 2_932_896] as [Int64] {
            let (year, month, day) = LocalDay.components(number)
            #expect(LocalDay.number(year: year, month: month, day: day) == number)
        }
        #expect(LocalDay.components(11_016) == (year: 2000, month: 2, day: 29))
        #expect(LocalClock.floorDivide(-1, 24) == -1 && LocalClock.floorDivide(-24, 24) == -1 && LocalClock.floorDivide(23, 24) == 0)
    }

    static func milliseconds(_ iso: String) -> Int64 {
        Int64((ISO8601DateFormatter().date(from: iso)?.timeIntervalSince1970 ?? .nan) * 1000)
    }
}
