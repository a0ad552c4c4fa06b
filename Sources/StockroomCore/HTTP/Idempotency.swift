import Foundation
import HTTPTypes
import Hummingbird
import NIOConcurrencyHelpers
import NIOCore
import NIOFoundationEssentialsCompat

/// `Idempotency-Key` on writes: a retried request with the same key and body gets the first answer (2xx or 4xx)
/// and changes nothing twice. A key reused with another body answers 422; a retry while the first is still running
/// answers 409. Keys are per user and kept for a day. Routes take keys through `IdempotentRoutes`, the middleware
/// that uses what is here; their handlers answer as any other.
///
/// The key, the work and the stored answer are one transaction: the services' own `withTransaction` joins the
/// key's (`Transaction.current`), and a new sale's key is written by the sale's own batch (`KeyedSale`). So after a
/// crash at any moment a retry either replays the committed answer or does the work for the first time — never
/// "still being processed" for a request that died. (Other nodes see a new sale's key from the start of its batch:
/// `SaleBatches`.)
public struct Idempotency: Sendable {
    public static let headerName = HTTPField.Name("Idempotency-Key")!
    static let replayedHeader = HTTPField.Name("Idempotent-Replayed")!
    let database: any DatabaseClient
    let keys = IdempotencyRepository()
    /// Keys whose request is running on this node (user id and key).
    private let running = NIOLockedValueBox(Set<String>())
    /// When this node last dropped the keys past their day (at most once a minute: it scans the table).
    private let lastSweep = NIOLockedValueBox(Int64(0))

    public init(database: any DatabaseClient) {
        self.database = database
    }

    /// The request's key and the digest of its method, path and body; nil without the header.
    func claim(_ request: Request, body: ByteBuffer, caller: Caller) throws -> IdempotencyClaim? {
        guard let key = request.headers[Self.headerName] else { return nil }
        guard (1...255).contains(key.count), key.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
            throw ShopError.badRequest("Idempotency-Key must be 1 to 255 visible ASCII characters", code: "invalid_idempotency_key")
        }
        let digest = SecretToken.digest("\(request.method.rawValue) \(request.uri.path)\n" + String(buffer: body))
        return IdempotencyClaim(userID: caller.userID, key: key, digest: digest)
    }

    /// Runs `body` while `claim` is marked running on this node: the same key sent again meanwhile answers 409 at
    /// once (it would otherwise wait for the writer and replay).
    func holding(_ claim: IdempotencyClaim, _ body: () async throws -> Response) async throws -> Response {
        let slot = "\(claim.userID) \(claim.key)"
        guard running.withLockedValue({ $0.insert(slot).inserted }) else { throw IdempotencyRepository.stillRunning }
        defer { _ = running.withLockedValue { $0.remove(slot) } }
        return try await body()
    }

    /// The key's answer, or `work` done and its answer (or its refusal) kept, in one transaction.
    func inTransaction(
        _ claim: IdempotencyClaim, requestID: String, fieldNames: FieldNames, _ work: () async throws -> Response
    ) async throws -> Response {
        await sweepIfDue()
        return try await database.withTransaction { transaction in
            let db = transaction.db
            // Another node running the same key holds this lock to its COMMIT: 409 rather than wait for it.
            if transaction.engine == .postgres, try await keys.tryLock([claim], db) != [true] { throw IdempotencyRepository.stillRunning }
            if let found = try await keys.stored([claim], db)[0] { return try Self.replay(found) }
            do {
                let answer = try await transaction.nested { _ in try await work() }
                let body = try await answer.body.collected()
                try await keys.store([(claim, StoredAnswer(status: Int(answer.status.code), body: Data(buffer: body)))], db)
                return Response(status: answer.status, headers: answer.headers, body: .init(byteBuffer: body))
            } catch {
                guard let refusal = AppError(answering: error, fieldNames: fieldNames), refusal.isRefusal else { throw error }
                // Refused for who asked or how it was sent, not for what it asked: nothing is kept, so the same
                // request with the same key is answered afresh once the account may, or the body is sent as JSON.
                guard !Self.notKept.contains(refusal.status.code) else { throw error }
                // Refused: the work was undone (its savepoint); the refusal is the answer a retry gets.
                try await keys.store([(claim, try StoredAnswer(refusal))], db)
                return ErrorMiddleware.response(for: refusal, requestID: requestID)
            }
        }
    }

    /// Drops the keys past their day, at most once a minute (it scans the table), in a write of its own. Best
    /// effort: a sweep that fails fails no request, and is tried again with the next key.
    func sweepIfDue() async {
        let now = Date.now.unixMilliseconds
        guard
            lastSweep.withLockedValue({ last in
                guard now - last > 60_000 else { return false }
                last = now
                return true
            })
        else { return }
        do {
            try await database.withTransaction { try await keys.dropExpired($0.db) }
        } catch {
            // tried again in about ten seconds, not with every request while the database refuses
            lastSweep.withLockedValue { $0 = now - 50_000 }
        }
    }

    /// Refusals that say nothing of the request's content: not signed in, not allowed, too large, not JSON, too many.
    static let notKept: Set<Int> = [401, 403, 413, 415, 429]

    /// The answer an earlier request with the key left, replayed.
    static func replay(_ found: IdempotencyRepository.Found) throws -> Response {
        switch found {
        case .otherRequest: throw IdempotencyRepository.reused
        case .unanswered: throw IdempotencyRepository.stillRunning
        case .answer(let kept):
            return Response(
                status: HTTPResponse.Status(code: kept.status),
                headers: [.contentType: "application/json; charset=utf-8", replayedHeader: "true"],
                body: .init(byteBuffer: ByteBuffer(bytes: kept.body)))
        }
    }
}

extension ResponseBody {
    /// The whole body in one buffer (the answers kept with keys are small JSON).
    consuming func collected() async throws -> ByteBuffer {
        let collector = BodyCollector()
        try await write(collector)
        return collector.buffer.buffer
    }

    private struct BodyCollector: ResponseBodyWriter {
        final class Buffer {
            var buffer = ByteBuffer()
        }
        let buffer = Buffer()

        func write(_ part: ByteBuffer) async throws {
            var part = part
            buffer.buffer.writeBuffer(&part)
        }

        consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }
}

extension StoredAnswer {
    /// A refusal as a key keeps it: its status and the JSON body the error middleware answers.
    init(_ refusal: AppError) throws {
        self.init(status: Int(refusal.status.code), body: try ResponseJSON.data(refusal.body))
    }
}
