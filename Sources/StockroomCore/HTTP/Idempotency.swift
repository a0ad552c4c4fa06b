import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import SQLKit

/// `Idempotency-Key` on writes: a retried request with the same key and body gets the first answer (2xx or 4xx)
/// and changes nothing twice. A key reused with another body answers 422; a retry while the first is still running
/// answers 409. Keys are per user and kept for a day.
///
/// The key is claimed in its own transaction before the work runs and the answer stored after; if the process dies
/// in between, the key stays claimed and retries answer 409 rather than risk doing the work twice.
public struct Idempotency: Sendable {
    public static let headerName = HTTPField.Name("Idempotency-Key")!
    static let replayedHeader = HTTPField.Name("Idempotent-Replayed")!
    static let lifetime: TimeInterval = 24 * 3600
    let database: any DatabaseClient

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
            return try Self.response(status, try JSONEncoder.stockroom.encode(value))
        }
        guard (1...255).contains(key.count), key.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
            throw AppError.badRequest("Idempotency-Key must be 1 to 255 visible ASCII characters", code: "invalid_idempotency_key")
        }
        let digest = SecretToken.digest("\(request.method.rawValue) \(request.uri.path)\n" + String(buffer: body))
        if let replay = try await claim(key: key, digest: digest, userID: caller.userID) { return replay }
        let status: HTTPResponse.Status
        let data: Data
        do {
            let (answerStatus, value) = try await work()
            (status, data) = (answerStatus, try JSONEncoder.stockroom.encode(value))
        } catch let error as AppError where error.status.code < 500 {
            try await store(key: key, userID: caller.userID, status: error.status, body: try JSONEncoder.stockroom.encode(error.body))
            return ErrorMiddleware.response(for: error, requestID: requestID)
        } catch {
            // Nothing was done: the key is free for a retry.
            try? await release(key: key, userID: caller.userID)
            throw error
        }
        // The work is done. If storing its answer fails the key stays claimed, so a retry answers 409 and never
        // repeats the work.
        try await store(key: key, userID: caller.userID, status: status, body: data)
        return try Self.response(status, data)
    }

    /// Claims the key, or returns the stored answer of an earlier request with it.
    func claim(key: String, digest: String, userID: Int64) async throws -> Response? {
        try await database.withTransaction { transaction in
            let db = transaction.db
            let now = Date.now.unixMilliseconds
            try await db.raw("""
                DELETE FROM idempotency_keys WHERE created_at < \(bind: now - Int64(Self.lifetime * 1000))
                """).run()
            if let row = try await db.raw("""
                SELECT request_hash, status_code, response_body FROM idempotency_keys WHERE user_id = \(bind: userID) AND key = \(bind: key)
                """).first() {
                guard try row.decode(column: "request_hash", as: String.self) == digest else {
                    throw AppError.unprocessable("This Idempotency-Key was used for a different request", code: "idempotency_key_reused")
                }
                let status = try row.decode(column: "status_code", as: Int.self)
                guard status > 0 else {
                    throw AppError.conflict("A request with this Idempotency-Key is still being processed", code: "idempotency_in_progress")
                }
                var response = try Self.response(HTTPResponse.Status(code: status), Data(try row.decode(column: "response_body", as: String.self).utf8))
                response.headers[Self.replayedHeader] = "true"
                return response
            }
            try await db.raw("""
                INSERT INTO idempotency_keys (user_id, key, request_hash, status_code, response_body, created_at)
                VALUES (\(bind: userID), \(bind: key), \(bind: digest), 0, '', \(bind: now))
                """).run()
            return nil
        }
    }

    func store(key: String, userID: Int64, status: HTTPResponse.Status, body: Data) async throws {
        try await database.withTransaction {
            try await $0.db.raw("""
                UPDATE idempotency_keys SET status_code = \(bind: status.code), response_body = \(bind: String(decoding: body, as: UTF8.self))
                WHERE user_id = \(bind: userID) AND key = \(bind: key)
                """).run()
        }
    }

    func release(key: String, userID: Int64) async throws {
        try await database.withTransaction {
            try await $0.db.raw("DELETE FROM idempotency_keys WHERE user_id = \(bind: userID) AND key = \(bind: key)").run()
        }
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
