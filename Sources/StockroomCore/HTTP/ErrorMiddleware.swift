import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Turns every error into the contract's JSON error body with the right status. Unexpected errors are
/// logged with the request id and answered 500 with that id, never with their internals.
public struct ErrorMiddleware: RouterMiddleware {
    public typealias Context = AppRequestContext
    let routeMethods: RouteMethods
    /// The staff pages' error page, for a browser asking for a page (not `/api`) that failed before a page
    /// handler could answer (an unknown address, say).
    let page: (@Sendable (AppError, Request) -> Response?)?

    public init(routeMethods: RouteMethods, page: (@Sendable (AppError, Request) -> Response?)? = nil) {
        self.routeMethods = routeMethods
        self.page = page
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let appError = self.appError(for: error, request: request, context: context)
            if let page, !request.uri.path.hasPrefix("/api"), request.headers[.accept]?.contains("text/html") == true,
                let html = page(appError, request)
            {
                return html
            }
            return Self.response(for: appError, requestID: context.id)
        }
    }

    func appError(for error: any Error, request: Request, context: Context) -> AppError {
        // An answer already, or the domain's refusal (a fault is not: it falls through to the log and a 500).
        if let answer = AppError(answering: error, fieldNames: FieldNames(path: request.uri.path)) { return answer }
        switch error {
        case let error as HTTPError where error.status == .notFound && context.endpointPath == "NotFound":
            // The router found no route: either the path exists with other methods (405) or not at all (404).
            let allowed = routeMethods.allowed(for: request.uri.path)
            guard allowed.isEmpty else {
                var headers = HTTPFields()
                headers[.allow] = allowed.joined(separator: ", ")
                return AppError(
                    .methodNotAllowed, code: "method_not_allowed",
                    "\(request.method.rawValue) is not allowed here; use \(allowed.joined(separator: ", "))",
                    headers: headers)
            }
            return AppError(.notFound, code: "not_found", "No route for \(request.method.rawValue) \(request.uri.path)")
        case let error as HTTPError where error.status == .contentTooLarge:
            return .payloadTooLarge(limit: context.maxUploadSize)
        case is NIOTooManyBytesError:
            return .payloadTooLarge(limit: context.maxUploadSize)
        case let error where UniqueViolation.matches(error):
            return AppError(ShopError.conflict("This conflicts with something that already exists; reload and try again", code: "conflict"))
        case let error as HTTPError where (400..<500).contains(error.status.code):
            return AppError(error.status, code: Self.code(for: error.status), error.body ?? error.status.reasonPhrase)
        default:
            context.logger.error("Unhandled error", metadata: context.loggedCaller.metadata.merging(["error": "\(String(reflecting: error))"]) { $1 })
            return AppError(
                .internalServerError, code: "internal_error",
                "Something went wrong on our side; quote request id \(context.id) when reporting it",
                context: ["request_id": .string(context.id)])
        }
    }

    static func code(for status: HTTPResponse.Status) -> String {
        status.reasonPhrase.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).joined(separator: "_")
    }

    /// The JSON response for an `AppError`; also used where errors are answered outside the middleware.
    public static func response(for error: AppError, requestID: String) -> Response {
        let data = (try? ResponseJSON.data(error.body)) ?? Data(#"{"error":"error","code":"internal_error"}"#.utf8)
        var headers = error.headers
        headers[.contentType] = "application/json; charset=utf-8"
        // An error is about this request (and may name what a signed-in person asked for): never kept by a cache.
        headers[.cacheControl] = "no-store"
        return Response(status: error.status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
