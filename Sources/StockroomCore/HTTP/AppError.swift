import HTTPTypes
import Hummingbird

/// The one error type the API answers with. The error middleware turns it into
/// `{"error": message, "code": code, ...context}` with `status`.
public struct AppError: Error, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    /// Extra fields merged into the JSON body (for example `product_id`, `requested`, `available`).
    public var context: [String: JSONValue]
    /// Extra response headers (for example `Allow` on 405, `Retry-After` on 429).
    public var headers: HTTPFields

    public init(
        _ status: HTTPResponse.Status,
        code: String,
        _ message: String,
        context: [String: JSONValue] = [:],
        headers: HTTPFields = [:]
    ) {
        self.status = status
        self.code = code
        self.message = message
        self.context = context
        self.headers = headers
    }
}

extension AppError {
    /// The JSON body: `{"error", "code"}` and the context fields.
    public var body: [String: JSONValue] {
        var body = context
        body["error"] = .string(message)
        body["code"] = .string(code)
        return body
    }

    /// The answer to a domain refusal: the status its kind stands for, its code, message and facts as they are
    /// (and `Retry-After` beside a 429's `retry_after`), the refused field named as `fieldNames` calls it.
    init(_ refusal: ShopError, fieldNames: FieldNames = .stockManager) {
        let refusal = fieldNames.naming(refusal)
        let status: HTTPResponse.Status =
            switch refusal.kind {
            case .invalid: .badRequest
            case .unauthenticated: .unauthorized
            case .forbidden: .forbidden
            case .notFound: .notFound
            case .conflict: .conflict
            case .unprocessable: .unprocessableContent
            case .tooLarge: .contentTooLarge
            case .tooMany: .tooManyRequests
            case .fault: .internalServerError
            }
        var headers = HTTPFields()
        if refusal.kind == .tooMany, case .int(let seconds)? = refusal.facts["retry_after"] { headers[.retryAfter] = String(seconds) }
        self.init(status, code: refusal.code, refusal.message, context: refusal.facts, headers: headers)
    }

    /// What the edge answers for `error` when it is an answer already (an `AppError`) or a domain refusal (a
    /// `ShopError`, a shortage); nil for anything else, a `ShopError` of kind `.fault` included: a fault is logged and
    /// answered by the error middleware, without its internals.
    /// `fieldNames`: the request's words for the refused field (`FieldNames(path:)`).
    init?(answering error: any Error, fieldNames: FieldNames = .stockManager) {
        switch error {
        case let error as AppError: self = error
        case let refusal as ShopError where refusal.isRefusal: self.init(refusal, fieldNames: fieldNames)
        case let shortage as InsufficientStock: self.init(shortage.refusal())
        default: return nil
        }
    }

    /// True for an answer that is the caller's to act on (4xx), false for a fault of ours.
    var isRefusal: Bool { status.code < 500 }
}
