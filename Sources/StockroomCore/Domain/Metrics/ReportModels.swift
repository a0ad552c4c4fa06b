/// Whose numbers a report shows: one company, and one of its stores or all of them.
public struct ReportScope: Sendable {
    public var companyID: Int64
    public var storeID: Int64?
}

/// A report's days on the business clock, both ends included, and the equal run of days just before.
public struct ReportPeriod: Sendable, Equatable {
    public static let maxDays: Int64 = 3_660
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
    var firstHour: Int64 { firstDay * 24 }
    var endHour: Int64 { (lastDay + 1) * 24 }
}

/// Completed sales of one hour of one scope.
public struct HourTotals: Sendable, Equatable {
    public var hour: Int64
    public var sales: Int64
    public var revenueCents: Int64
    public var taxCents: Int64
    public var units: Int64
    public var costCents: Int64

    public init(hour: Int64, sales: Int64 = 0, revenueCents: Int64 = 0, taxCents: Int64 = 0, units: Int64 = 0, costCents: Int64 = 0) {
        self.hour = hour
        self.sales = sales
        self.revenueCents = revenueCents
        self.taxCents = taxCents
        self.units = units
        self.costCents = costCents
    }

    /// What was earned over the cost of the goods: takings less the tax collected and the captured unit costs.
    public var grossProfitCents: Int64 { revenueCents - taxCents - costCents }

    static func + (left: HourTotals, right: HourTotals) -> HourTotals {
        HourTotals(hour: left.hour, sales: left.sales + right.sales, revenueCents: left.revenueCents + right.revenueCents,
                   taxCents: left.taxCents + right.taxCents, units: left.units + right.units, costCents: left.costCents + right.costCents)
    }
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
    public var unitsSold: Int64
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
