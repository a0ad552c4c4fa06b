/// A StockManager-style page request: `page` (1-based) and `limit` (capped at 250).
public struct PageRequest: Sendable {
    public static let maxLimit = 250
    public var page: Int
    public var limit: Int
    public var offset: Int { (page - 1) * limit }

    public init(page: Int = 1, limit: Int) {
        self.page = page
        self.limit = limit
    }
}

/// A Credith-style window: `limit` (default 10, capped at 250) and `offset`.
public struct OffsetRequest: Sendable {
    public var limit: Int
    public var offset: Int

    public init(limit: Int = 10, offset: Int = 0) {
        self.limit = limit
        self.offset = offset
    }
}

/// One page of a StockManager-style list: the items, the total and the page they are.
public struct Paged<Item: Sendable>: Sendable {
    public var data: [Item]
    public var total: Int
    public var page: Int
    public var limit: Int
    /// As StockManager counts them: `max(1, ceil(total / limit))`, so an empty list is one empty page.
    public var pages: Int { max(1, (total + limit - 1) / limit) }

    public init(_ data: [Item], total: Int, page: PageRequest) {
        self.data = data
        self.total = total
        self.page = page.page
        self.limit = page.limit
    }

    public func map<T>(_ transform: (Item) throws -> T) rethrows -> Paged<T> {
        var result = Paged<T>([], total: total, page: PageRequest(page: page, limit: limit))
        result.data = try data.map(transform)
        return result
    }
}
