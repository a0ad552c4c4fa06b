import Foundation
import Hummingbird
import NIOCore

/// Stockroom's JSON writer for everything it answers: a page of 250 products is encoded straight into bytes, in
/// one pass, with no tree of boxed values in between (Foundation's `JSONEncoder` builds one, then sorts and writes
/// it) and no reflection. What it writes:
/// - keys in declaration order; `AllKeysEncodable` types carry every key, nil as `null`, renamed by their
///   `keyStyle`; other types leave nil optionals out, as synthesized `Encodable` asks;
/// - dates as ISO-8601 UTC to the second (`2026-12-06T19:39:32Z`), as `JSONEncoder`'s `.iso8601` does;
/// - whole doubles without `.0` (`10`, not `10.0`), others in Swift's shortest form; `/` unescaped.
public struct ResponseJSON: ResponseEncoder, Sendable {
    public init() {}

    public static func bytes<Value: Encodable>(_ value: Value) throws -> [UInt8] { try JSONText.bytes(value) }
    public static func data<Value: Encodable>(_ value: Value) throws -> Data { try JSONText.data(value) }
    public static func string<Value: Encodable>(_ value: Value) throws -> String { try JSONText.string(value) }

    public func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
        Self.response(ByteBuffer(bytes: try Self.bytes(value)))
    }

    /// A 200 answer of JSON already written.
    static func response(_ body: ByteBuffer) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8", .contentLength: String(body.readableBytes)],
            body: .init(byteBuffer: body))
    }
}
