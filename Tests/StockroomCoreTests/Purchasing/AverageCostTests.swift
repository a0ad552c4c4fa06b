import Foundation
import Testing

@testable import StockroomDomain

@Suite("Moving-average cost")
struct AverageCostTests {
    /// A fraction in lowest terms, exact: the reference the kept average is checked against.
    struct Fraction: Equatable {
        var numerator: Int128
        var denominator: Int128

        init(_ numerator: Int128, _ denominator: Int128) {
            let divisor = Self.gcd(numerator, denominator)
            self.numerator = numerator / divisor
            self.denominator = denominator / divisor
        }

        static func gcd(_ a: Int128, _ b: Int128) -> Int128 {
            var (a, b) = (abs(a), abs(b))
            while b != 0 { (a, b) = (b, a % b) }
            return max(a, 1)
        }

        /// Rounded half to even to a whole number, the rule the average is documented with.
        var roundedHalfEven: Int64 {
            let (quotient, remainder) = numerator.quotientAndRemainder(dividingBy: denominator)
            let twice = remainder * 2
            return Int64(quotient + (twice > denominator || (twice == denominator && quotient % 2 == 1) ? 1 : 0))
        }
    }

    @Test("1,000 receipts at odd prices: the kept value is exact and the unit cost is the exact average rounded half to even")
    func thousandReceipts() {
        var generator = CrashLoad.Random(seed: 0x5EED_C057)
        var average = AverageCost(valueCents: 0, units: 0)
        var value: Int128 = 0
        var units: Int128 = 0
        for index in 0..<1000 {
            let quantity = Int64.random(in: 1...997, using: &generator)
            // odd prices: 0.01 to 9,999.99, most of them not round
            let cost = Int64.random(in: 1...999_999, using: &generator) | 1
            average = average.receiving(quantity, at: cost, held: average.units, standing: 0)!
            value += Int128(quantity) * Int128(cost)
            units += Int128(quantity)
            #expect(Int128(average.valueCents) == value && Int128(average.units) == units, "receipt \(index)")
            #expect(average.unitCostCents(standing: 0) == Fraction(value, units).roundedHalfEven, "receipt \(index)")
        }
    }

    @Test("units sold between receipts leave at the average: the value kept is off the exact one by at most half a cent per rescaling")
    func salesBetweenReceipts() {
        // 50 runs of 10 receipts (the exact fraction's denominator grows with every sale; 10 keep it inside 128 bits)
        for seed in 1...50 as ClosedRange<UInt64> {
            var generator = CrashLoad.Random(seed: seed)
            var average = AverageCost(valueCents: 0, units: 0)
            // the exact average, which sales do not change
            var exact = Fraction(0, 1)
            var held: Int64 = 0
            var rescalings: Int128 = 0
            for _ in 0..<10 {
                let sold = Int64.random(in: 0...held, using: &generator)
                held -= sold
                let quantity = Int64.random(in: 1...50, using: &generator)
                let cost = Int64.random(in: 1...50_000, using: &generator)
                // the reference: what was held at the exact average, plus what arrived
                exact = Fraction(
                    exact.numerator * Int128(held) + Int128(quantity) * Int128(cost) * exact.denominator,
                    exact.denominator * Int128(held + quantity))
                if sold > 0, held > 0 { rescalings += 1 }
                average = average.receiving(quantity, at: cost, held: held, standing: 0)!
                held += quantity
                // kept: the value of what is held; each receipt after a sale rounds once (half a cent at most), and
                // what earlier roundings left shrinks with the units that leave, so the error never grows past that
                let exactValue = Fraction(exact.numerator * Int128(held), exact.denominator)
                let difference = abs(Int128(average.valueCents) * exactValue.denominator - exactValue.numerator)
                #expect(difference * 2 <= exactValue.denominator * max(rescalings, 1), "seed \(seed): value \(average.valueCents) vs \(exactValue)")
                #expect(average.units == held)
            }
        }
    }

    @Test("without an average, the units held are valued at the product's standing cost; halves round to even")
    func standingAndRounding() {
        let none = AverageCost(valueCents: 0, units: 0)
        #expect(none.receiving(10, at: 300, held: 10, standing: 200) == AverageCost(valueCents: 5000, units: 20))
        #expect(none.unitCostCents(standing: 777) == 777)
        #expect(AverageCost(valueCents: 5, units: 2).unitCostCents(standing: 0) == 2)  // 2.5 → 2
        #expect(AverageCost(valueCents: 7, units: 2).unitCostCents(standing: 0) == 4)  // 3.5 → 4
        #expect(none.receiving(1, at: Int64.max, held: 1, standing: Int64.max) == nil)
        // stock held below zero counts as none
        #expect(none.receiving(3, at: 100, held: -2, standing: 50) == AverageCost(valueCents: 300, units: 3))
    }
}
