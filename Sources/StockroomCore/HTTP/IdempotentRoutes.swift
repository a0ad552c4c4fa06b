import Hummingbird
import NIOCore

/// The routes that take an `Idempotency-Key`: with the header, a signed-in caller's request runs once per key and
/// body (`Idempotency`); without it, as any other. Handlers stay unaware of keys, except a new sale's, which hands
/// its key to the sale's batch (`SaleService.sell(_:_:in:answer:)`).
struct IdempotentRoutes: RouterMiddleware {
    enum Kind {
        /// Any write: the handler runs inside the key's transaction, which keeps its answer.
        case write
        /// A new sale: written in a batch with other sales, whose transaction keeps the key's answer.
        case newSale
    }

    let idempotency: Idempotency
    let kind: Kind

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response
    {
        guard request.headers[Idempotency.headerName] != nil, let caller = context.caller else { return try await next(request, context) }
        var request = request
        let body = try await StrictJSONDecoder.collect(&request, context: context)
        guard let claim = try idempotency.claim(request, body: body, caller: caller) else { return try await next(request, context) }
        var context = context
        context.idempotencyClaim = claim
        let fieldNames = FieldNames(path: request.uri.path)
        return try await idempotency.holding(claim) { [request, context] in
            switch kind {
            case .write:
                return try await idempotency.inTransaction(claim, requestID: context.id, fieldNames: fieldNames) { try await next(request, context) }
            case .newSale:
                await idempotency.sweepIfDue()
                do {
                    return try await next(request, context)
                } catch let kept as SettledByBatch {
                    switch kept {
                    case .replay(let answer): return try Idempotency.replay(.answer(answer))
                    case .refusal(let error): throw error
                    }
                } catch let error where AppError(answering: error, fieldNames: fieldNames)?.isRefusal == true {
                    // Refused before its batch (no such product, a closed store, a discount past the limit): kept
                    // as the key's answer in a transaction of its own, as any write's refusal.
                    return try await idempotency.inTransaction(claim, requestID: context.id, fieldNames: fieldNames) { throw error }
                }
            }
        }
    }
}

/// How a keyed sale's handler hands back an answer its batch already settled: replayed from the key, or a refusal
/// already kept with it (answered as is, not kept again).
enum SettledByBatch: Error {
    case replay(StoredAnswer)
    case refusal(any Error)
}

extension SaleService {
    /// A new sale for a route under `IdempotentRoutes(.newSale)`: with the request's key, the key and `answer` (or
    /// the refusal for want of stock) are kept by the transaction of the sale's batch, so keyed sales — every
    /// charge a till sends — are written in batches too; a retry's sale is not written again but replayed.
    func sell<Answer: Encodable & Sendable>(
        _ caller: Caller, _ order: SaleRequest, in context: AppRequestContext, answer: @escaping @Sendable (Sale) -> Answer
    ) async throws -> Answer {
        guard let claim = context.idempotencyClaim else { return answer(try await sell(caller, order)) }
        let keyed = KeyedSale(
            claim: claim, answer: { StoredAnswer(status: 201, body: try ResponseJSON.data(answer($0))) },
            refusal: { try StoredAnswer(AppError($0.refusal())) })
        switch try await sell(caller, order, keyed: keyed) {
        case .sold(let sale, _): return answer(sale)
        case .short(let shortage): throw SettledByBatch.refusal(shortage.refusal())
        case .replayed(let kept): throw SettledByBatch.replay(kept)
        case .keyRefused(let error): throw SettledByBatch.refusal(error)
        }
    }
}
