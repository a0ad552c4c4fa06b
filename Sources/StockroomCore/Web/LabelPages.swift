import Hummingbird

/// `GET /labels?id=…&id=…&store_id=…&paper=a4|letter`: a printable sheet of shelf labels for the products ticked on
/// the products page — name, price in the shop's currency, and the barcode drawn as EAN-13 when it is one (every
/// code Stockroom makes itself is), else written as text, since any other symbology would be a guess.
struct LabelPages {
    /// A sheet is for a shelf or two, not the catalog: more ids than this is a 400 naming the field.
    static let maxLabels = 200
    let pages: Pages
    let catalog: CatalogService

    func addRoutes(to router: RouterGroup<AppRequestContext>) {
        router.get("labels", use: sheet)
    }

    @Sendable func sheet(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await pages.show("labels", title: "labels", request, context) { caller, frame in
            let ids = try Self.ids(request)
            let paper = request.uri.queryParameters["paper"].map(String.init) ?? "a4"
            guard ["a4", "letter"].contains(paper) else {
                throw ShopError.invalidField("paper", "paper must be a4 or letter")
            }
            let storeID = try QueryReader(request).id("store_id")
            var labels: [LabelSheet.Label] = []
            // The service checks the store against the caller's scope and reads only the caller's company.
            for id in ids {
                let product = try await catalog.get(caller, id: id, storeID: storeID).product
                let code = EAN13(product.barcode)
                labels.append(
                    .init(
                        id: id, name: product.name, barcode: product.barcode, price: frame.format.money(cents: product.priceCents),
                        svg: code?.svg ?? "", ean: code != nil))
            }
            return LabelSheet(
                labels: labels, count: labels.count, paper: paper,
                papers: ["a4", "letter"].map { Choice(value: $0, label: frame.strings["paper_" + $0] ?? $0, selected: $0 == paper) },
                ids: ids, storeId: storeID)
        }
    }

    /// The ticked products, in the order ticked, each once.
    static func ids(_ request: Request) throws -> [Int64] {
        var seen = Set<Int64>()
        var ids: [Int64] = []
        for text in request.uri.queryParameters.getAll("id") {
            guard let id = Int64(text), id > 0 else {
                throw AppError(.badRequest, code: "invalid_id", "'\(text)' is not a valid id", context: ["field": .string("id")])
            }
            if seen.insert(id).inserted { ids.append(id) }
        }
        // Print labels pressed with nothing ticked: said in the reader's words, not as a bad field.
        guard !ids.isEmpty else {
            throw AppError(.badRequest, code: "no_products_chosen", "Tick at least one product for the labels", context: ["field": .string("id")])
        }
        guard ids.count <= maxLabels else { throw ShopError.invalidField("id", "At most \(maxLabels) labels on one sheet") }
        return ids
    }
}

/// A sheet of labels, and the form that prints it again on other paper (the same products and store).
struct LabelSheet: Sendable {
    let labels: [Label]
    let count: Int
    let paper: String
    let papers: [Choice]
    let ids: [Int64]
    let storeId: Int64?

    struct Label: Sendable {
        let id: Int64
        let name: String
        let barcode: String
        let price: String
        let svg: String
        let ean: Bool
    }
}
