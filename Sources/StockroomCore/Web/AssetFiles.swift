import Foundation
import Hummingbird
import Logging

/// The files of `Web/Resources/public` at `/assets/<name>`, served by Hummingbird's `FileMiddleware` (an `ETag` and
/// `Last-Modified`, 304 to a browser that has the file, ranges, HEAD), kept for five minutes. Only a plain name of a
/// stylesheet, script or image is looked for (`app.css`, never `../templates/layout.mustache` nor a file
/// without such an extension); anything else answers 404 as any unknown path does.
struct AssetFiles: RouterMiddleware {
    let files: FileMiddleware<AppRequestContext, LocalFileSystem>

    /// `logger`: the server's own, so that the middleware's lines follow `STOCKROOM_LOG_FORMAT` (its one line at
    /// start, the folder it serves, is left out: the server's start already names the resources).
    init(publicDirectory: URL, logger: Logger) {
        var logger = logger
        logger.logLevel = max(logger.logLevel, .warning)
        files = FileMiddleware(
            publicDirectory.path, urlBasePath: "/assets", cacheControl: CacheControl([(MediaType(type: .any), [.public, .maxAge(300)])]),
            logger: logger
        ).withAdditionalMediaTypes(forFileExtensions: [
            "css": MediaType(type: .text, subType: "css", parameter: ("charset", "utf-8")),
            "js": MediaType(type: .text, subType: "javascript", parameter: ("charset", "utf-8")),
            "svg": MediaType(type: .image, subType: "svg+xml"),
        ])
    }

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response
    {
        guard request.uri.path.hasPrefix("/assets/"), Self.isAssetName(request.uri.path.dropFirst("/assets/".count)) else {
            return try await next(request, context)
        }
        return try await files.handle(request, context: context, next: next)
    }

    static func isAssetName(_ name: Substring) -> Bool {
        name.wholeMatch(of: /[a-z0-9-]+\.(css|js|svg)/) != nil
    }
}
