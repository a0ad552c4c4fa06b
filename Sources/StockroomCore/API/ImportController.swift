import Foundation
import Hummingbird
import NIOCore
import NIOFoundationEssentialsCompat

/// `POST /api/import/products` (a CSV body → a preview) and `POST /api/import/products/{id}/confirm`.
struct ImportController {
    static let maxFileBytes = 20 * 1024 * 1024
    let imports: ImportService
    let currency: CompanyCurrency

    struct ConfirmRequest: Decodable {
        /// Header → product field (`""` ignores the column); leave out to use the detected columns.
        let mapping: [String: String]?
    }

    struct PreviewResponse: ResponseEncodable {
        let id: Int64
        let columns: [Column]
        let rows: Int
        let valid: Int
        let errorCount: Int
        let errors: [ProductImport.RowError]
        let preview: [[String: String]]
        /// Required fields no column fills yet (map them before confirming).
        let missing: [String]
        /// What the file was read as: `utf-8`, `utf-8-bom`, `utf-16le`, `utf-16be` or `windows-1252`.
        let encoding: String
        /// The separator found: `comma`, `semicolon` or `tab`.
        let separator: String
        /// The currency the price or cost header names (`price (USD)`, as exports write it), else nil.
        let currency: String?
        /// What to check before confirming: `currency_differs` when `currency` is not the company's (nothing is converted).
        let warnings: [Warning]

        struct Warning: Encodable {
            let code: String
            let message: String
        }

        struct Column: Encodable {
            let header: String
            let field: String?
        }

        enum CodingKeys: String, CodingKey {
            case id, columns, rows, valid, errors, preview, missing, encoding, separator, currency, warnings
            case errorCount = "error_count"
        }
    }

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.post("import/products", use: preview)
        api.post("import/products/:id/preview", use: repreview)
        api.post("import/products/:id/confirm", use: confirm)
        api.get("import/products/:id/progress", use: progress)
    }

    /// How far a confirm of this upload has got (the import page polls it while its confirm runs).
    @Sendable func progress(_ request: Request, context: AppRequestContext) async throws -> ImportProgress {
        let caller = try context.require(.manageCatalog)
        return try imports.progress(caller, importID: try context.parameters.id("id"))
    }

    @Sendable func preview(_ request: Request, context: AppRequestContext) async throws -> EditedResponse<PreviewResponse> {
        let caller = try context.require(.manageCatalog)
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        guard contentType.hasPrefix("text/csv") || contentType.hasPrefix("text/plain") || contentType.hasPrefix("application/csv") else {
            throw AppError(.unsupportedMediaType, code: "unsupported_media_type", "Send the file as text/csv")
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: Self.maxFileBytes)
        } catch is NIOTooManyBytesError {
            throw AppError.payloadTooLarge(limit: Self.maxFileBytes)
        }
        // The encoding comes from the bytes (UTF-8, UTF-16 with a byte-order mark, else Windows-1252), never the
        // label: browsers and curl send files as they are, and Excel's files name no charset. They are read off the
        // request's task, on the thread that parses the file.
        let result = try await imports.preview(caller, file: body, storeID: try QueryReader(request).id("store_id"))
        return Self.previewResponse(result, companyCurrency: try await currency.currency(caller)).created
    }

    /// The preview again with a chosen `mapping` (the body of confirm), without uploading the file again.
    @Sendable func repreview(_ request: Request, context: AppRequestContext) async throws -> PreviewResponse {
        let caller = try context.require(.manageCatalog)
        let id = try context.parameters.id("id")
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        let mapping = body.readableBytes == 0 ? nil : try StrictJSONDecoder.decode(ConfirmRequest.self, from: Data(buffer: body)).mapping
        return Self.previewResponse(
            try await imports.repreview(caller, importID: id, mapping: mapping), companyCurrency: try await currency.currency(caller))
    }

    static func previewResponse(_ result: ImportService.Preview, companyCurrency: String) -> PreviewResponse {
        let parsed = result.parsed
        let fileCurrency = parsed.currency
        // A file exported by a company selling in another currency imports its numbers as they are.
        let warnings =
            fileCurrency.flatMap { file in
                file == companyCurrency
                    ? nil
                    : PreviewResponse.Warning(
                        code: "currency_differs",
                        message:
                            "The file's amounts are in \(file) and your company sells in \(companyCurrency); they are imported as they are, not converted"
                    )
            }.map { [$0] } ?? []
        let columns = parsed.headers.enumerated().map { PreviewResponse.Column(header: $0.element, field: parsed.mapping[$0.offset]?.rawValue) }
        let preview = parsed.rows.prefix(10).map { row in
            var values: [String: String] = [:]
            let fields = row.fields
            values["barcode"] = fields.barcode
            values["name"] = fields.name
            values["price"] = fields.priceCents.map { String(Money.amount($0)) }
            values["quantity"] = fields.quantity.map(String.init)
            values["category"] = fields.category ?? nil
            return values
        }
        return PreviewResponse(
            id: result.id, columns: columns, rows: parsed.rows.count + parsed.errors.count, valid: parsed.rows.count,
            errorCount: parsed.errors.count, errors: Array(parsed.errors.prefix(100)), preview: Array(preview),
            missing: parsed.missing.map(\.rawValue), encoding: result.encoding.rawValue, separator: CSV.separatorName(parsed.delimiter),
            currency: fileCurrency, warnings: warnings)
    }

    @Sendable func confirm(_ request: Request, context: AppRequestContext) async throws -> ImportService.Result {
        let caller = try context.require(.manageCatalog)
        let id = try context.parameters.id("id")
        // The body is optional: without one, the detected columns are used.
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        let mapping = body.readableBytes == 0 ? nil : try StrictJSONDecoder.decode(ConfirmRequest.self, from: Data(buffer: body)).mapping
        return try await imports.confirm(caller, importID: id, mapping: mapping)
    }
}

extension ImportService.Result: ResponseEncodable {}
extension ImportProgress: ResponseEncodable {}
