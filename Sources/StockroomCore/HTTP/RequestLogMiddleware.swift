import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// One log line per request with its id, method, path (never the query: it can carry search terms or tokens),
/// status and duration; and the id echoed back in `X-Request-Id` so a client can quote it.
public struct RequestLogMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var response = try await next(request, context)
        response.headers[.requestID] = context.id
        let elapsed = ContinuousClock.now - start
        let milliseconds = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
        context.logger.info(
            "\(request.method.rawValue) \(request.uri.path) \(response.status.code)",
            metadata: context.loggedCaller.metadata.merging(["duration_ms": "\((milliseconds * 10).rounded() / 10)"]) { $1 })
        return response
    }
}

extension HTTPField.Name {
    static let requestID = HTTPField.Name("X-Request-Id")!
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!
}
