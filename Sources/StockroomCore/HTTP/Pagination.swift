import Hummingbird

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

    /// Reads `page` and `limit` from the query; a bad value is a 400 naming the parameter.
    public init(_ query: QueryReader, defaultLimit: Int) throws {
        self.page = try query.int("page", range: 1...1_000_000) ?? 1
        self.limit = min(try query.int("limit", range: 1...Int.max) ?? defaultLimit, Self.maxLimit)
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

    public init(_ query: QueryReader, defaultLimit: Int = 10) throws {
        self.limit = min(try query.int("limit", range: 1...Int.max) ?? defaultLimit, PageRequest.maxLimit)
        self.offset = try query.int("offset", range: 0...Int.max) ?? 0
    }

    /// A list answered whole unless the client pages it: without `limit`, up to `wholeLimit` items (a bound on
    /// what one answer holds); with it, the usual window of at most 250.
    public init(_ query: QueryReader, wholeLimit: Int) throws {
        self.limit = try query.int("limit", range: 1...Int.max).map { min($0, PageRequest.maxLimit) } ?? wholeLimit
        self.offset = try query.int("offset", range: 0...Int.max) ?? 0
    }
}

/// One page of a StockManager-style list: `{"data": [...], "total", "pages", "page", "limit"}`.
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

extension Paged: Encodable, ResponseGenerator, ResponseEncodable where Item: Encodable {
    enum CodingKeys: String, CodingKey { case data, total, pages, page, limit }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(data, forKey: .data)
        try container.encode(total, forKey: .total)
        try container.encode(pages, forKey: .pages)
        try container.encode(page, forKey: .page)
        try container.encode(limit, forKey: .limit)
    }
}

/// A Credith-style list: `{"total": n, "data": [...]}`.
public struct TotalAndData<Item: Encodable & Sendable>: ResponseEncodable, Sendable {
    public var total: Int
    public var data: [Item]

    public init(total: Int, data: [Item]) {
        self.total = total
        self.data = data
    }
}
