import Hummingbird
import NIOCore
import Synchronization

/// The JSON of kept answers (`KeptAnswer`), kept by edition: a month of metrics is about 34 KB of JSON, and
/// writing it took more of a request's time than finding the kept answer did. An edition names one answer worked
/// out once, so its bytes are the same for every caller it is served to; an answer without one (PostgreSQL) is
/// written each time.
final class KeptBodies: Sendable {
    private let kept = Mutex<[UInt64: ByteBuffer]>([:])
    /// Bodies kept at most; past it, the cache starts over (as `KeptAnswers` does with the answers themselves).
    private let limit: Int

    init(limit: Int = 64) {
        self.limit = limit
    }

    /// The answer's JSON as a 200 response.
    func response<Value: Sendable, Body: Encodable>(_ answer: KeptAnswer<Value>, _ body: (Value) -> Body) throws -> Response {
        ResponseJSON.response(try bytes(answer, body))
    }

    /// The answer's JSON: the bytes kept when its edition has been written before, else `body(value)` written now.
    func bytes<Value: Sendable, Body: Encodable>(_ answer: KeptAnswer<Value>, _ body: (Value) -> Body) throws -> ByteBuffer {
        guard let edition = answer.edition else { return ByteBuffer(bytes: try ResponseJSON.bytes(body(answer.value))) }
        if let bytes = kept.withLock({ $0[edition] }) { return bytes }
        let bytes = ByteBuffer(bytes: try ResponseJSON.bytes(body(answer.value)))
        kept.withLock { entries in
            if entries.count >= limit { entries.removeAll(keepingCapacity: true) }
            entries[edition] = bytes
        }
        return bytes
    }
}
