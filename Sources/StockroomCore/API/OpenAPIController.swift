import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOFoundationEssentialsCompat

/// `GET /api/openapi.yaml` and `GET /api/openapi.json`: the OpenAPI 3.1 document of the API, public. It is written as
/// JSON (`Web/Resources/openapi/openapi.json`), and JSON is valid YAML 1.2, so both answer the same bytes. Read once,
/// when the router is built.
struct OpenAPIController {
    /// The document's bytes, or nil when this build lacks the file (both routes then answer a JSON 500).
    let document: ByteBuffer?

    init(resources: URL) {
        document = Self.load(from: resources).map { ByteBuffer(data: $0) }
    }

    /// The document shipped in `resources` (by default, the ones found beside this build).
    static func load(from resources: URL? = try? WebRenderer.resources()) -> Data? {
        guard let resources else { return nil }
        return try? Data(contentsOf: resources.appending(path: "openapi/openapi.json"))
    }

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.get("openapi.yaml") { _, _ in try serve(contentType: "application/yaml; charset=utf-8") }
        api.get("openapi.json") { _, _ in try serve(contentType: "application/json; charset=utf-8") }
    }

    func serve(contentType: String) throws -> Response {
        guard let document else {
            throw AppError(.internalServerError, code: "missing_resources", "The OpenAPI document is missing from this build")
        }
        return Response(status: .ok, headers: [.contentType: contentType], body: .init(byteBuffer: document))
    }
}
