import HTTPTypes
import Hummingbird

/// Cross-origin requests from the origins in `STOCKROOM_ALLOWED_ORIGINS` (a dashboard such as Credith's React app on an
/// origin of its own), with credentials — cookies or a Bearer token — allowed for exactly those. Hummingbird's
/// `CORSMiddleware` answers the preflight and adds the headers; it sees only requests from a listed origin, because
/// it would otherwise echo any origin back with credentials allowed. A request from any other origin gets no CORS
/// headers, so the browser keeps the answer from that page; writes are refused anyway by the CSRF check.
struct AllowedOriginsCORS: RouterMiddleware {
    typealias Context = AppRequestContext
    let allowedOrigins: Set<String>
    let cors = CORSMiddleware<AppRequestContext>(
        allowOrigin: .originBased,
        allowHeaders: [
            .accept, .authorization, .contentType, .origin, CSRFCheck.headerName, Idempotency.headerName, .lastEventID,
        ],
        allowMethods: [.get, .head, .post, .put, .patch, .delete, .options],
        allowCredentials: true,
        exposedHeaders: Self.exposedHeaders,
        maxAge: .seconds(600))

    /// Headers the dashboard's script may read. Hummingbird names them on the preflight only; browsers read them from
    /// the actual answer, so they are added there too.
    static let exposedHeaders = ["X-Request-Id", "Idempotent-Replayed", "Retry-After", "Content-Disposition"]

    init(allowedOrigins: [String]) {
        self.allowedOrigins = Set(allowedOrigins)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let origin = request.headers[.origin]?.lowercased(), allowedOrigins.contains(origin) else {
            return try await next(request, context)
        }
        var response = try await cors.handle(request, context: context, next: next)
        if request.method != .options, response.headers[.accessControlExposeHeaders] == nil {
            response.headers[.accessControlExposeHeaders] = Self.exposedHeaders.joined(separator: ", ")
        }
        return response
    }
}

extension HTTPField.Name {
    static let lastEventID = HTTPField.Name("Last-Event-ID")!
}
