import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import NIOCore

/// Staff pages from the Mustache templates in `Web/Resources/templates` and the files in `Web/Resources/public`,
/// both shipped inside the build (no CDN: the shop works offline). Mustache escapes every `{{value}}`.
public struct WebRenderer: Sendable {
    let library: MustacheLibrary
    let publicDirectory: URL
    /// The folder holding `templates/`, `public/` and `openapi/` (see `ResourceDirectory`).
    let resources: URL

    /// The folder holding `templates/` and `public/`: `configured` (`STOCKROOM_RESOURCES`), or found beside the binary.
    static func resources(configured: String? = nil) throws -> URL {
        try ResourceDirectory.locate(configured: configured)
    }

    public static func load(resources root: URL) async throws -> WebRenderer {
        WebRenderer(
            library: try await MustacheLibrary(directory: root.appending(path: "templates").path),
            publicDirectory: root.appending(path: "public"), resources: root)
    }

    /// An HTML page; never cached, since it shows one person's data. Scripts and styles only from this site, and
    /// no other site may frame the page (its one-click buttons must not be clicked through a disguise).
    func page<Content>(
        _ template: String, _ view: PageView<Content>, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]
    ) throws -> Response {
        guard let html = library.render(view, withTemplate: template) else {
            throw AppError(.internalServerError, code: "missing_template", "No page template named \(template)")
        }
        var headers: HTTPFields = [
            .contentType: "text/html; charset=utf-8", .cacheControl: "no-store", .contentSecurityPolicy: Self.contentSecurityPolicy,
            HTTPField.Name("X-Frame-Options")!: "DENY", HTTPField.Name("X-Content-Type-Options")!: "nosniff",
            HTTPField.Name("Referrer-Policy")!: "same-origin",
        ]
        for field in extra where headers[field.name] == nil { headers[field.name] = field.value }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    static let contentSecurityPolicy =
        "default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
}
