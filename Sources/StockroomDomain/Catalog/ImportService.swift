import Foundation
import NIOConcurrencyHelpers
import NIOCore
import SQLKit

/// Product CSV imports: a preview that reports the detected columns and every bad row, then a confirm that
/// imports all rows in one transaction or none. New barcodes create products; known ones update them. Stock is
/// set through `import` movements in the chosen store.
public struct ImportService: Sendable {
    static let lifetime: TimeInterval = 24 * 3600
    let database: any DatabaseClient
    /// Companies with a file being read or imported on this node: one at a time each, so one company's uploads
    /// cannot take the server's CPU from everyone else.
    private let running = NIOLockedValueBox(Set<Int64>())
    /// How far each confirmed import on this node has got.
    let board = ImportProgressBoard()
    let catalogService: CatalogService
    let catalog = CatalogRepository()
    let identity = IdentityRepository()
    let uploads = ImportRepository()
    let inventory = InventoryRepository()
    let audit = AuditRepository()

    public init(database: any DatabaseClient, catalogService: CatalogService) {
        self.database = database
        self.catalogService = catalogService
    }

    public struct Preview: Sendable {
        public var id: Int64
        public var parsed: ProductImport
        /// What the upload's bytes were read as.
        public var encoding: TextEncoding
    }

    public struct Result: Sendable, Encodable {
        public var imported: Int
        public var created: Int
        public var updated: Int
    }

    /// The most text a file may read as (UTF-8): its bytes are bounded on upload, but Windows-1252 can triple
    /// (`€` is one byte there, three in UTF-8) and the text is what is stored and parsed.
    static let maxTextBytes = 20 * 1024 * 1024

    /// Reads an uploaded file's bytes (`CSVText`), stores the text and reports what a confirm would do. Decoding,
    /// like parsing, runs on the parsing thread, straight from the upload's buffer.
    public func preview(_ caller: Caller, file: ByteBuffer, storeID: Int64?) async throws -> Preview {
        try caller.require(.manageCatalog)
        let store = try caller.storeScope(requested: storeID) ?? caller.storeID
        return try await oneAtATime(caller) {
            let (csv, encoding, parsed) = try await Self.parse {
                let (text, encoding) = file.withUnsafeReadableBytes { CSVText.decode($0) }
                try Self.check(text, encoding: encoding)
                return (text, encoding, try ProductImport(csv: text, previewing: true))
            }
            return Preview(id: try await keep(csv, encoding: encoding, caller: caller, storeID: store), parsed: parsed, encoding: encoding)
        }
    }

    /// Refuses text that is too large, empty, or not text at all.
    static func check(_ text: String, encoding: TextEncoding) throws {
        let size = text.utf8.count
        guard size <= maxTextBytes else {
            throw ShopError(
                .tooLarge, code: "text_too_large",
                "The file reads as \(size) bytes of text (\(encoding.rawValue)), more than the \(maxTextBytes) a file may hold; split it",
                facts: ["text_bytes": .int(Int64(size)), "limit": .int(Int64(maxTextBytes)), "encoding": .string(encoding.rawValue)])
        }
        guard !text.isEmpty else { throw ShopError.badRequest("The file is empty", code: "empty_file") }
        // A NUL (read as text) means a binary file (a spreadsheet, not its CSV); PostgreSQL would refuse it in text (a 500).
        guard !text.utf8.contains(0) else { throw ShopError.badRequest("The file holds a NUL byte: save it as CSV text", code: "not_text") }
    }

    /// Keeps the upload (as text, with the encoding it was read in) for the confirm, and drops uploads past their day.
    private func keep(_ csv: String, encoding: TextEncoding, caller: Caller, storeID store: Int64) async throws -> Int64 {
        try await database.withTransaction { transaction in
            let db = transaction.db
            _ = try await identity.requireOpenStore(store, companyID: caller.companyID, db)
            try await uploads.drop(before: .now - Self.lifetime, db)
            return try await uploads.insert(csv, encoding: encoding, companyID: caller.companyID, userID: caller.userID, storeID: store, db)
        }
    }

    /// Runs `work` unless the caller's company already has an import running on this node (409).
    func oneAtATime<T>(_ caller: Caller, _ work: () async throws -> T) async throws -> T {
        guard running.withLockedValue({ $0.insert(caller.companyID).inserted }) else {
            throw ShopError.conflict("Another file of your company is being read or imported; try again when it has finished", code: "import_running")
        }
        defer { _ = running.withLockedValue { $0.remove(caller.companyID) } }
        return try await work()
    }

    /// Reads a file on a thread of its own: a large one takes a while, and on Swift's shared threads (one per core)
    /// it would hold up every other request meanwhile.
    static func parse<T: Sendable>(_ read: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .utility).async { continuation.resume(with: Swift.Result { try read() }) }
        }
    }

    /// The preview of an upload again, read with `mapping` (nil: the detected one); the upload stays for the confirm.
    public func repreview(_ caller: Caller, importID: Int64, mapping: [String: String]?) async throws -> Preview {
        try caller.require(.manageCatalog)
        let (csv, encoding) = try await upload(importID, caller)
        return try await oneAtATime(caller) {
            Preview(
                id: importID, parsed: try await Self.parse { try ProductImport(csv: csv, override: mapping, previewing: true) }, encoding: encoding)
        }
    }

    /// The caller's stored upload and the encoding it was read in (UTF-8 for uploads older than that record).
    private func upload(_ importID: Int64, _ caller: Caller) async throws -> (csv: String, encoding: TextEncoding) {
        guard let upload = try await database.read({ try await uploads.upload(importID, companyID: caller.companyID, userID: caller.userID, $0) })
        else { throw ShopError.notFound("Import") }
        return upload
    }

    /// Imports an uploaded file with the detected mapping or `mapping`; 422 listing the bad rows when any row is bad.
    /// The upload is taken (deleted) inside the import's transaction, so a double confirm imports once; a failed
    /// import rolls back and leaves it to retry.
    public func confirm(_ caller: Caller, importID: Int64, mapping: [String: String]?) async throws -> Result {
        try caller.require(.manageCatalog)
        let csv = try await upload(importID, caller).csv
        let key = ImportProgressBoard.Key(companyID: caller.companyID, userID: caller.userID, importID: importID)
        let board = self.board
        return try await oneAtATime(caller) {
            board.set(key, .reading, done: 0, rows: 0)
            do {
                let result = try await confirmRows(caller, importID: importID, csv: csv, mapping: mapping, key: key)
                board.set(key, .done, done: result.imported, rows: result.imported)
                return result
            } catch {
                board.fail(key)
                throw error
            }
        }
    }

    /// How far the caller's confirmed import `importID` has got on this node; 404 when this node runs none.
    public func progress(_ caller: Caller, importID: Int64) throws -> ImportProgress {
        try caller.require(.manageCatalog)
        guard let progress = board.progress(.init(companyID: caller.companyID, userID: caller.userID, importID: importID)) else {
            throw ShopError.notFound("Import progress")
        }
        return progress
    }

    private func confirmRows(
        _ caller: Caller, importID: Int64, csv: String, mapping: [String: String]?, key: ImportProgressBoard.Key
    ) async throws -> Result {
        let board = self.board
        // Read before the transaction: the writer is not held while the file is parsed (an upload never changes).
        let parsed = try await Self.parse { try ProductImport(csv: csv, override: mapping) }
        board.set(key, .importing, done: 0, rows: parsed.rows.count)
        return try await database.withTransaction { transaction in
            guard let storeID = try await uploads.take(importID, companyID: caller.companyID, userID: caller.userID, transaction.db)
            else { throw ShopError.notFound("Import") }
            _ = try caller.storeScope(requested: storeID)
            return try await importRows(
                parsed, companyID: caller.companyID, storeID: storeID, actor: caller,
                progress: { done, rows in
                    board.set(key, .importing, done: done, rows: rows)
                }, transaction)
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
            throw ShopError(
                .unprocessable, code: "invalid_rows", "\(parsed.errors.count) row(s) are invalid; nothing was imported",
                facts: ["errors": .array(errors), "error_count": .int(parsed.errors.count)])
        }
        let db = transaction.db
        _ = try await identity.requireOpenStore(storeID, companyID: companyID, db)
        if transaction.engine == .postgres {
            // Rows come in file order; lock the store's levels in product order first so that an import never
            // deadlocks with a sale or another import.
            try await InventoryRepository().lockLevels(storeID: storeID, db)
        }
        var result = Result(imported: 0, created: 0, updated: 0)
        for (index, row) in parsed.rows.enumerated() {
            let existing =
                if let barcode = row.fields.barcode { try await catalog.product(barcode: barcode, companyID: companyID, db) } else { nil as Int64? }
            do {
                if let existing {
                    try await catalogService.applyImported(
                        row.fields, to: existing, companyID: companyID, storeID: storeID, actor: actor, transaction)
                    result.updated += 1
                } else {
                    try await catalogService.createImported(row.fields, companyID: companyID, storeID: storeID, actorID: actor?.userID, transaction)
                    result.created += 1
                }
            } catch let error as ShopError {
                throw ShopError(
                    error.kind, code: error.code, "Line \(row.line): \(error.message)", facts: error.facts.merging(["row": .int(row.line)]) { $1 })
            }
            result.imported += 1
            if index % 250 == 249 || index == parsed.rows.count - 1 {
                progress(index + 1, parsed.rows.count)
                // SQLite's statements run on this task without suspending: a 5,000-row import would keep its thread
                // (one of two on a small server) until it ends, and the requests behind it — its own progress polls
                // among them — would wait. Every 250 rows it lets them run.
                await Task.yield()
            }
        }
        try await audit.record(
            AuditEntry(
                companyID: companyID, userID: actor?.userID, username: actor?.username ?? "cli", action: "products_imported",
                entityType: "store", entityID: String(storeID),
                newValues: ["created": .int(result.created), "updated": .int(result.updated)], ipAddress: actor?.ipAddress), db)
        return result
    }
}
