/// Whose numbers a report shows: one company, and one of its stores or all of them.
public struct ReportScope: Sendable, Hashable {
    public var companyID: Int64
    public var storeID: Int64?
}

/// A report's days on the business clock, both ends included, and the equal run of days just before.
public struct ReportPeriod: Sendable, Hashable {
    public static let maxDays: Int64 = 3_660
    /// The days in one block of `product_sales_blocks`.
    static let blockDays: Int64 = 28
    public var firstDay: Int64
    public var lastDay: Int64
    public var days: Int64 { lastDay - firstDay + 1 }
    public var previous: ReportPeriod { ReportPeriod(firstDay: firstDay - days, lastDay: firstDay - 1) }

    public init(firstDay: Int64, lastDay: Int64) {
        self.firstDay = firstDay
        self.lastDay = lastDay
    }

    /// The last `days` days up to and including `today`.
    public init(days: Int64, endingOn today: Int64) {
        self.init(firstDay: today - days + 1, lastDay: today)
    }

    public func contains(day: Int64) -> Bool { (firstDay...lastDay).contains(day) }

    /// The period as whole 28-day blocks and the runs of days outside them (at most 27 at each end).
    var blocks: (blocks: ClosedRange<Int64>?, days: [ClosedRange<Int64>]) {
        let firstBlock = LocalClock.floorDivide(firstDay + Self.blockDays - 1, Self.blockDays)
        let lastBlock = LocalClock.floorDivide(lastDay + 1, Self.blockDays) - 1
        guard firstBlock <= lastBlock else { return (nil, [firstDay...lastDay]) }
        var days: [ClosedRange<Int64>] = []
        if firstDay < firstBlock * Self.blockDays { days.append(firstDay...(firstBlock * Self.blockDays - 1)) }
        if (lastBlock + 1) * Self.blockDays <= lastDay { days.append(((lastBlock + 1) * Self.blockDays)...lastDay) }
        return (firstBlock...lastBlock, days)
    }
}

/// Completed sales summed over some hours of one scope.
public struct SalesTotals: Sendable, Equatable {
    public var sales: Int64 = 0
    public var revenueCents: Int64 = 0
    public var taxCents: Int64 = 0
    public var units: Int64 = 0
    public var costCents: Int64 = 0

    public init(sales: Int64 = 0, revenueCents: Int64 = 0, taxCents: Int64 = 0, units: Int64 = 0, costCents: Int64 = 0) {
        self.sales = sales
        self.revenueCents = revenueCents
        self.taxCents = taxCents
        self.units = units
        self.costCents = costCents
    }

    /// What was earned over the cost of the goods: takings less the tax collected and the captured unit costs.
    public var grossProfitCents: Int64 { revenueCents - taxCents - costCents }

    static func + (left: SalesTotals, right: SalesTotals) -> SalesTotals {
        SalesTotals(
            sales: left.sales + right.sales, revenueCents: left.revenueCents + right.revenueCents,
            taxCents: left.taxCents + right.taxCents, units: left.units + right.units, costCents: left.costCents + right.costCents)
    }
}

/// A period's sales in one hour of one weekday (0 Monday … 6 Sunday) on the business clock.
public struct ClockCell: Sendable, Equatable {
    public var weekday: Int
    public var hour: Int
    public var totals: SalesTotals
}

/// A product's sales over a period (line totals: after line discounts, before a bill discount and tax).
public struct ProductSales: Sendable, Equatable {
    public var productID: Int64
    public var name: String
    public var barcode: String
    public var units: Int64
    public var revenueCents: Int64
    public var costCents: Int64
}

/// A product's stock in a scope and its units sold over a recent window.
public struct ProductPace: Sendable, Equatable {
    public var productID: Int64
    public var name: String
    public var barcode: String
    public var stock: Int64
    /// The minimums of the scope's levels, summed like the stock.
    public var minStock: Int64
    public var unitsSold: Int64
}

/// One seller's completed sales over a period.
public struct VendorSales: Sendable, Equatable {
    public var userID: Int64
    public var username: String
    public var sales: Int64
    public var revenueCents: Int64
}

/// One stock level a report points at.
public struct LevelAlert: Sendable, Equatable {
    public var productID: Int64
    public var name: String
    public var barcode: String
    public var storeID: Int64
    public var storeName: String
    public var stock: Int64
    public var minStock: Int64
    public var costCents: Int64
}

/// A scope's stock now: products, units, their value at cost and at the selling price.
public struct StockSummary: Sendable, Equatable {
    public var products: Int
    public var units: Int64
    public var valueCents: Int64
    public var retailCents: Int64
}

/// A product whose expiry date is near (or past) while it is still in stock.
public struct ExpiringProduct: Sendable, Equatable {
    public var productID: Int64
    public var name: String
    public var barcode: String
    public var expirationDate: String
    public var stock: Int64
}

/// A product that no completed sale has ever included (in the scope).
public struct UnsoldProduct: Sendable, Equatable {
    public var productID: Int64
    public var name: String
    public var barcode: String
    public var stock: Int64
    public var priceCents: Int64
    public var costCents: Int64
    public var createdAtMilliseconds: Int64
}
