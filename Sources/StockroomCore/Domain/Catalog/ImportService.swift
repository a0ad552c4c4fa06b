import Foundation
import SQLKit

/// Product CSV imports: a preview that reports the detected columns and every bad row, then a confirm that
/// imports all rows in one transaction or none. New barcodes create products; known ones update them. Stock is
/// set through `import` movements in the chosen store.
public struct ImportService: Sendable {
    static let lifetime: TimeInterval = 24 * 3600
    let database: any DatabaseClient
    let catalogService: CatalogService
    let catalog = CatalogRepository()
    let identity = IdentityRepository()
    let inventory = InventoryRepository()
    let audit = AuditRepository()

    public init(database: any DatabaseClient, catalogService: CatalogService) {
        self.database = database
        self.catalogService = catalogService
    }

    public struct Preview: Sendable {
        public var id: Int64
        public var parsed: ProductImport
    }

    public struct Result: Sendable, Encodable {
        public var imported: Int
        public var created: Int
        public var updated: Int
    }

    /// Stores the upload and reports what a confirm would do.
    public func preview(_ caller: Caller, csv: String, storeID: Int64?) async throws -> Preview {
        try caller.require(.manageCatalog)
        let store = try caller.storeScope(requested: storeID) ?? caller.storeID
        let parsed = try ProductImport(csv: csv, previewing: true)
        let id = try await database.withTransaction { transaction in
            let db = transaction.db
            _ = try await identity.requireOpenStore(store, companyID: caller.companyID, db)
            let now = Date.now.unixMilliseconds
            try await db.raw("DELETE FROM product_imports WHERE created_at < \(bind: now - Int64(Self.lifetime * 1000))").run()
            return try await db.raw("""
                INSERT INTO product_imports (company_id, user_id, store_id, csv, created_at)
                VALUES (\(bind: caller.companyID), \(bind: caller.userID), \(bind: store), \(bind: csv), \(bind: now)) RETURNING id
                """).first(decodingColumn: "id", as: Int64.self)!
        }
        return Preview(id: id, parsed: parsed)
    }

    /// The preview of an upload again, read with `mapping` (nil: the detected one); the upload stays for the confirm.
    public func repreview(_ caller: Caller, importID: Int64, mapping: [String: String]?) async throws -> Preview {
        try caller.require(.manageCatalog)
        guard let csv = try await database.read({ db in
            try await db.raw("""
                SELECT csv FROM product_imports
                WHERE id = \(bind: importID) AND company_id = \(bind: caller.companyID) AND user_id = \(bind: caller.userID)
                """).first(decodingColumn: "csv", as: String.self)
        }) else { throw AppError.notFound("Import") }
        return Preview(id: importID, parsed: try ProductImport(csv: csv, override: mapping, previewing: true))
    }

    /// Imports an uploaded file with the detected mapping or `mapping`; 422 listing the bad rows when any row is bad.
    /// The upload is taken (deleted) inside the import's transaction, so a double confirm imports once; a failed
    /// import rolls back and leaves it to retry.
    public func confirm(_ caller: Caller, importID: Int64, mapping: [String: String]?) async throws -> Result {
        try caller.require(.manageCatalog)
        return try await database.withTransaction { transaction in
            guard let row = try await transaction.db.raw("""
                DELETE FROM product_imports
                WHERE id = \(bind: importID) AND company_id = \(bind: caller.companyID) AND user_id = \(bind: caller.userID)
                RETURNING csv, store_id
                """).first() else { throw AppError.notFound("Import") }
            let storeID = try row.decode(column: "store_id", as: Int64.self)
            _ = try caller.storeScope(requested: storeID)
            let parsed = try ProductImport(csv: try row.decode(column: "csv", as: String.self), override: mapping)
            return try await importRows(parsed, companyID: caller.companyID, storeID: storeID, actor: caller, progress: { _, _ in }, transaction)
        }
    }

    /// Imports every row of `parsed` into `storeID`, or nothing; `progress` hears (rows done, rows in all).
    public func run(
        _ parsed: ProductImport, companyID: Int64, storeID: Int64, actor: Caller?,
        progress: @Sendable (Int, Int) -> Void = { _, _ in }
    ) async throws -> Result {
        try await database.withTransaction { transaction in
            try await importRows(parsed, companyID: companyID, storeID: storeID, actor: actor, progress: progress, transaction)
        }
    }

    func importRows(
        _ parsed: ProductImport, companyID: Int64, storeID: Int64, actor: Caller?, progress: (Int, Int) -> Void, _ transaction: Transaction
    ) async throws -> Result {
        guard parsed.errors.isEmpty else {
            let errors = parsed.errors.prefix(100).map { error -> JSONValue in
                .object(["row": .int(error.row), "field": error.field.map(JSONValue.string) ?? .null, "message": .string(error.message)])
            }
            throw AppError(
                .unprocessableContent, code: "invalid_rows", "\(parsed.errors.count) row(s) are invalid; nothing was imported",
                context: ["errors": .array(errors), "error_count": .int(parsed.errors.count)])
        }
        let db = transaction.db
        _ = try await identity.requireOpenStore(storeID, companyID: companyID, db)
        if transaction.engine == .postgres {
            // Rows come in file order; lock the store's levels in product order first so that an import never
            // deadlocks with a sale or another import.
            try await db.raw("SELECT product_id FROM stock_levels WHERE store_id = \(bind: storeID) ORDER BY product_id FOR UPDATE").run()
        }
        var result = Result(imported: 0, created: 0, updated: 0)
        for (index, row) in parsed.rows.enumerated() {
            let existing = if let barcode = row.fields.barcode { try await catalog.product(barcode: barcode, companyID: companyID, db) } else { nil as Int64? }
            do {
                if let existing {
                    try await catalogService.applyImported(row.fields, to: existing, companyID: companyID, storeID: storeID, actor: actor, transaction)
                    result.updated += 1
                } else {
                    try await catalogService.createImported(row.fields, companyID: companyID, storeID: storeID, actorID: actor?.userID, transaction)
                    result.created += 1
                }
            } catch let error as AppError {
                throw AppError(error.status, code: error.code, "Line \(row.line): \(error.message)", context: error.context.merging(["row": .int(row.line)]) { $1 })
            }
            result.imported += 1
            if index % 250 == 249 || index == parsed.rows.count - 1 { progress(index + 1, parsed.rows.count) }
        }
        try await audit.record(
            AuditEntry(companyID: companyID, userID: actor?.userID, username: actor?.username ?? "cli", action: "products_imported",
                       entityType: "store", entityID: String(storeID),
                       newValues: ["created": .int(result.created), "updated": .int(result.updated)], ipAddress: actor?.ipAddress), db)
        return result
    }
}

extension CatalogRepository {
    public func product(barcode: String, companyID: Int64, _ db: any SQLDatabase) async throws -> Int64? {
        try await db.raw("SELECT id FROM products WHERE company_id = \(bind: companyID) AND barcode = \(bind: barcode)")
            .first(decodingColumn: "id", as: Int64.self)
    }
}
