import Hummingbird

extension PageRequest {
    /// Reads `page` and `limit` from the query; a bad value is a 400 naming the parameter.
    public init(_ query: QueryReader, defaultLimit: Int) throws {
        self.init(
            page: try query.int("page", range: 1...1_000_000) ?? 1,
            limit: min(try query.int("limit", range: 1...Int.max) ?? defaultLimit, Self.maxLimit))
    }
}

extension OffsetRequest {
    public init(_ query: QueryReader, defaultLimit: Int = 10) throws {
        self.init(
            limit: min(try query.int("limit", range: 1...Int.max) ?? defaultLimit, PageRequest.maxLimit),
            offset: try query.int("offset", range: 0...Int.max) ?? 0)
    }

    /// A list answered whole unless the client pages it: without `limit`, up to `wholeLimit` items (a bound on
    /// what one answer holds); with it, the usual window of at most 250.
    public init(_ query: QueryReader, wholeLimit: Int) throws {
        self.init(
            limit: try query.int("limit", range: 1...Int.max).map { min($0, PageRequest.maxLimit) } ?? wholeLimit,
            offset: try query.int("offset", range: 0...Int.max) ?? 0)
    }
}

/// `{"data": [...], "total", "pages", "page", "limit"}`.
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
