import Foundation
import HTTPTypes
import Hummingbird
import NIOConcurrencyHelpers
import NIOCore
import SQLKit

/// `Idempotency-Key` on writes: a retried request with the same key and body gets the first answer (2xx or 4xx)
/// and changes nothing twice. A key reused with another body answers 422; a retry while the first is still running
/// answers 409. Keys are per user and kept for a day.
///
/// The key, the work and the stored answer are one transaction: the services' own `withTransaction` joins the
/// key's (`Transaction.current`). So after a crash at any moment a retry either replays the committed answer or
/// does the work for the first time — never "still being processed" for a request that died.
public struct Idempotency: Sendable {
    public static let headerName = HTTPField.Name("Idempotency-Key")!
    static let replayedHeader = HTTPField.Name("Idempotent-Replayed")!
    static let lifetime: TimeInterval = 24 * 3600
    let database: any DatabaseClient
    /// Keys whose request is running on this node (user id and key).
    private let running = NIOLockedValueBox(Set<String>())
    /// When this node last dropped the keys past their day (at most once a minute: it scans the table).
    private let lastSweep = NIOLockedValueBox(Int64(0))

    public init(database: any DatabaseClient) {
        self.database = database
    }

    /// Runs `work` once per key; without the header it simply runs it.
    public func run(
        _ request: Request, body: ByteBuffer, caller: Caller, requestID: String,
        _ work: () async throws -> (HTTPResponse.Status, any Encodable & Sendable)
    ) async throws -> Response {
        guard let key = request.headers[Self.headerName] else {
            let (status, value) = try await work()
            return try Self.response(status, try ResponseJSON.data(value))
        }
        guard (1...255).contains(key.count), key.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
            throw AppError.badRequest("Idempotency-Key must be 1 to 255 visible ASCII characters", code: "invalid_idempotency_key")
        }
        let digest = SecretToken.digest("\(request.method.rawValue) \(request.uri.path)\n" + String(buffer: body))
        // The same key still running here answers 409 at once (it would otherwise wait for the writer and replay).
        let slot = "\(caller.userID) \(key)"
        guard running.withLockedValue({ $0.insert(slot).inserted }) else { throw Self.stillRunning }
        defer { _ = running.withLockedValue { $0.remove(slot) } }
        return try await database.withTransaction { transaction in
            let db = transaction.db
            if transaction.engine == .postgres {
                // Another node running the same key holds this lock to its COMMIT: 409 rather than wait for it.
                let lock = SecretToken.digest(slot).prefix(15)
                guard try await db.raw("SELECT pg_try_advisory_xact_lock(\(bind: Int64(lock, radix: 16) ?? 0)) AS locked")
                    .first(decodingColumn: "locked", as: Bool.self) == true else { throw Self.stillRunning }
            }
            if let replay = try await stored(key: key, digest: digest, userID: caller.userID, db) { return replay }
            do {
                let (status, value) = try await transaction.nested { _ in try await work() }
                let data = try ResponseJSON.data(value)
                try await store(key: key, digest: digest, userID: caller.userID, status: status, body: data, db)
                return try Self.response(status, data)
            } catch let error as AppError where error.status.code < 500 {
                // Refused: the work was undone (its savepoint); the refusal is the answer a retry gets.
                try await store(key: key, digest: digest, userID: caller.userID, status: error.status,
                                body: try ResponseJSON.data(error.body), db)
                return ErrorMiddleware.response(for: error, requestID: requestID)
            }
        }
    }

    static let stillRunning = AppError.conflict("A request with this Idempotency-Key is still being processed", code: "idempotency_in_progress")

    /// The stored answer of an earlier request with the key (422 if that one had another body), dropping keys past
    /// their day first (once a minute).
    func stored(key: String, digest: String, userID: Int64, _ db: any SQLDatabase) async throws -> Response? {
        let now = Date.now.unixMilliseconds
        if lastSweep.withLockedValue({ last in
            guard now - last > 60_000 else { return false }
            last = now
            return true
        }) {
            try await db.raw("DELETE FROM idempotency_keys WHERE created_at < \(bind: now - Int64(Self.lifetime * 1000))").run()
        }
        guard let row = try await db.raw("""
            SELECT request_hash, status_code, response_body FROM idempotency_keys WHERE user_id = \(bind: userID) AND key = \(bind: key)
            """).first() else { return nil }
        guard try row.decode(column: "request_hash", as: String.self) == digest else {
            throw AppError.unprocessable("This Idempotency-Key was used for a different request", code: "idempotency_key_reused")
        }
        let status = try row.decode(column: "status_code", as: Int.self)
        // (0: claimed by an earlier version of Stockroom, which stored the answer in a separate transaction.)
        guard status > 0 else { throw Self.stillRunning }
        var response = try Self.response(HTTPResponse.Status(code: status), Data(try row.decode(column: "response_body", as: String.self).utf8))
        response.headers[Self.replayedHeader] = "true"
        return response
    }

    func store(key: String, digest: String, userID: Int64, status: HTTPResponse.Status, body: Data, _ db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO idempotency_keys (user_id, key, request_hash, status_code, response_body, created_at)
            VALUES (\(bind: userID), \(bind: key), \(bind: digest), \(bind: status.code), \(bind: String(decoding: body, as: UTF8.self)),
                    \(bind: Date.now.unixMilliseconds))
            """).run()
    }

    static func response(_ status: HTTPResponse.Status, _ data: Data) throws -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension Request {
    /// Decodes the JSON body and keeps its bytes (for the idempotency digest).
    public func decodeKeepingBody<T: Decodable>(as type: T.Type, context: AppRequestContext) async throws -> (T, ByteBuffer) {
        let body = try await StrictJSONDecoder.collectJSON(self, context: context)
        return (try StrictJSONDecoder.decode(type, from: Data(buffer: body)), body)
    }
}
