import Hummingbird

/// `GET /api/docs`: the API's OpenAPI document as a page to read, drawn in the browser by `apidocs.js` from
/// `GET /api/openapi.json` (no CDN, nothing from elsewhere). Public like the document itself: it tells nothing the
/// document does not, and someone writing a script may read it before they have an account; signed in, the page
/// has the usual header and navigation.
struct DocsPage {
    let pages: Pages

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.get("api/docs", use: docs)
    }

    @Sendable func docs(_ request: Request, context: AppRequestContext) async throws -> Response {
        if context.caller != nil { return try await pages.show("apidocs", title: "api_docs", request, context) }
        return try pages.web.page("apidocs", PageView(content: NoContent(), frame: PageFrame(request: request, caller: nil, title: "api_docs")))
    }
}
