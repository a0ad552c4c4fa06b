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
/// key's (`Transaction.current`), and a new sale's key is written by the sale's own batch (`sell`). So after a crash
/// at any moment a retry either replays the committed answer or does the work for the first time — never "still
/// being processed" for a request that died. (Other nodes see a new sale's key from the start of its batch:
/// `SaleBatches`.)
public struct Idempotency: Sendable {
    public static let headerName = HTTPField.Name("Idempotency-Key")!
    static let replayedHeader = HTTPField.Name("Idempotent-Replayed")!
    let database: any DatabaseClient
    let keys = IdempotencyKeys()
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
        guard let claim = try claim(request, body: body, caller: caller) else {
            let (status, value) = try await work()
            return try Self.response(status, try ResponseJSON.data(value))
        }
        return try await holding(claim) { try await inTransaction(claim, requestID: requestID, work) }
    }

    /// A new sale (`order`, answered 201 with `answer`): with a key, the key and its answer are written by the
    /// transaction of the sale's batch, so keyed sales — every charge a till sends — are written in batches too.
    public func sell(
        _ request: Request, body: ByteBuffer, caller: Caller, requestID: String, through sales: SaleService,
        answer: @escaping @Sendable (Sale) -> any Encodable & Sendable, _ order: () async throws -> SaleRequest
    ) async throws -> Response {
        guard let claim = try claim(request, body: body, caller: caller) else {
            return try Self.response(.created, try ResponseJSON.data(answer(try await sales.sell(caller, try await order()))))
        }
        return try await holding(claim) {
            // No look-up of the key here: its batch looks it up (every keyed sale, one read fewer). A retry priced
            // again and refused before its batch (its product gone since) is answered from the key all the same
            // (`inTransaction` looks first).
            await sweepIfDue()
            let keyed = KeyedSale(
                claim: claim, answer: { StoredAnswer(status: 201, body: try ResponseJSON.data(answer($0))) },
                refusal: { shortage in
                    let answer = AppError(shortage.refusal())
                    return StoredAnswer(status: Int(answer.status.code), body: try ResponseJSON.data(answer.body))
                })
            let outcome: SaleBatches.Answer
            do {
                outcome = try await sales.sell(caller, try await order(), keyed: keyed)
            } catch where AppError(answering: error)?.isRefusal == true {
                // Refused before its batch (no such product, a closed store, a discount past the limit): kept as the
                // key's answer in a transaction of its own, as any write's refusal.
                return try await inTransaction(claim, requestID: requestID) { throw error }
            }
            switch outcome {
            case .sold(_, let kept?): return try Self.response(.created, kept.body)
            case .sold(let sale, nil): return try Self.response(.created, try ResponseJSON.data(answer(sale)))
            case .short(let shortage): return ErrorMiddleware.response(for: AppError(shortage.refusal()), requestID: requestID)
            case .replayed(let kept): return try Self.replay(.answer(kept))
            case .keyRefused(let error): throw error
            }
        }
    }

    /// The request's key and the digest of its method, path and body; nil without the header.
    private func claim(_ request: Request, body: ByteBuffer, caller: Caller) throws -> IdempotencyClaim? {
        guard let key = request.headers[Self.headerName] else { return nil }
        guard (1...255).contains(key.count), key.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
            throw ShopError.badRequest("Idempotency-Key must be 1 to 255 visible ASCII characters", code: "invalid_idempotency_key")
        }
        let digest = SecretToken.digest("\(request.method.rawValue) \(request.uri.path)\n" + String(buffer: body))
        return IdempotencyClaim(userID: caller.userID, key: key, digest: digest)
    }

    /// Runs `body` while `claim` is marked running on this node: the same key sent again meanwhile answers 409 at
    /// once (it would otherwise wait for the writer and replay).
    private func holding(_ claim: IdempotencyClaim, _ body: () async throws -> Response) async throws -> Response {
        let slot = "\(claim.userID) \(claim.key)"
        guard running.withLockedValue({ $0.insert(slot).inserted }) else { throw IdempotencyKeys.stillRunning }
        defer { _ = running.withLockedValue { $0.remove(slot) } }
        return try await body()
    }

    /// The key's answer, or `work` done and its answer (or its refusal) kept, in one transaction.
    private func inTransaction(
        _ claim: IdempotencyClaim, requestID: String, _ work: () async throws -> (HTTPResponse.Status, any Encodable & Sendable)
    ) async throws -> Response {
        await sweepIfDue()
        return try await database.withTransaction { transaction in
            let db = transaction.db
            // Another node running the same key holds this lock to its COMMIT: 409 rather than wait for it.
            if transaction.engine == .postgres, try await keys.tryLock([claim], db) != [true] { throw IdempotencyKeys.stillRunning }
            if let found = try await keys.stored([claim], db)[0] { return try Self.replay(found) }
            do {
                let (status, value) = try await transaction.nested { _ in try await work() }
                let data = try ResponseJSON.data(value)
                try await keys.store([(claim, StoredAnswer(status: Int(status.code), body: data))], db)
                return try Self.response(status, data)
            } catch {
                guard let refusal = AppError(answering: error), refusal.isRefusal else { throw error }
                // Refused: the work was undone (its savepoint); the refusal is the answer a retry gets.
                try await keys.store([(claim, StoredAnswer(status: Int(refusal.status.code), body: try ResponseJSON.data(refusal.body)))], db)
                return ErrorMiddleware.response(for: refusal, requestID: requestID)
            }
        }
    }

    /// Drops the keys past their day, at most once a minute (it scans the table), in a write of its own. Best
    /// effort: a sweep that fails fails no request, and is tried again with the next key.
    private func sweepIfDue() async {
        let now = Date.now.unixMilliseconds
        guard lastSweep.withLockedValue({ last in
            guard now - last > 60_000 else { return false }
            last = now
            return true
        }) else { return }
        do {
            try await database.withTransaction { try await keys.dropExpired($0.db) }
        } catch {
            // tried again in about ten seconds, not with every request while the database refuses
            lastSweep.withLockedValue { $0 = now - 50_000 }
        }
    }

    /// The answer an earlier request with the key left, replayed.
    static func replay(_ found: IdempotencyKeys.Found) throws -> Response {
        switch found {
        case .otherRequest: throw IdempotencyKeys.reused
        case .unanswered: throw IdempotencyKeys.stillRunning
        case .answer(let kept):
            var response = try response(HTTPResponse.Status(code: kept.status), kept.body)
            response.headers[replayedHeader] = "true"
            return response
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
