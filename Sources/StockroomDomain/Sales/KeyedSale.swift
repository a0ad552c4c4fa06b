import Foundation

/// A new sale sent with an `Idempotency-Key`: its batch writes the key with the sale's answer in the sale's own
/// transaction (`SaleBatches`), so after a crash at any moment a retry finds the answer or a sale never made.
public struct KeyedSale: Sendable {
    let claim: IdempotencyClaim
    /// The answer to the sale made, as the request's endpoint gives it.
    let answer: @Sendable (Sale) throws -> StoredAnswer
    /// The answer to the sale refused for want of stock.
    let refusal: @Sendable (InsufficientStock) throws -> StoredAnswer

    public init(
        claim: IdempotencyClaim, answer: @escaping @Sendable (Sale) throws -> StoredAnswer,
        refusal: @escaping @Sendable (InsufficientStock) throws -> StoredAnswer
    ) {
        self.claim = claim
        self.answer = answer
        self.refusal = refusal
    }
}
