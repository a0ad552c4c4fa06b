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

    public static func badRequest(_ message: String, code: String = "bad_request", field: String? = nil) -> AppError {
        AppError(.badRequest, code: code, message, context: field.map { ["field": .string($0)] } ?? [:])
    }

    /// A field that failed validation: 400 naming the field, as the seeds' clients expect.
    public static func invalidField(_ field: String, _ message: String) -> AppError {
        AppError(.badRequest, code: "invalid_field", message, context: ["field": .string(field)])
    }

    public static func unauthorized(_ message: String = "Authentication required") -> AppError {
        AppError(.unauthorized, code: "unauthorized", message)
    }

    public static func forbidden(_ message: String = "You do not have permission to do this") -> AppError {
        AppError(.forbidden, code: "forbidden", message)
    }

    public static func notFound(_ what: String = "Resource") -> AppError {
        AppError(.notFound, code: "not_found", "\(what) not found")
    }

    public static func conflict(_ message: String, code: String = "conflict", context: [String: JSONValue] = [:]) -> AppError {
        AppError(.conflict, code: code, message, context: context)
    }

    /// Well-formed and valid input that cannot be applied in the current state of things.
    public static func unprocessable(_ message: String, code: String = "unprocessable") -> AppError {
        AppError(.unprocessableContent, code: code, message)
    }

    public static func tooManyRequests(_ message: String, retryAfterSeconds: Int) -> AppError {
        AppError(
            .tooManyRequests,
            code: "too_many_requests",
            message,
            context: ["retry_after": .int(retryAfterSeconds)],
            headers: [.retryAfter: String(retryAfterSeconds)]
        )
    }
}
