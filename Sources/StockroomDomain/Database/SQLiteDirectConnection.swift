import Foundation
import Logging
import NIOCore
import SQLKit
import SQLiteKit
import SQLiteNIO
import SQLiteTuning
import Synchronization
import VaporCSQLite

/// A connection driven through SQLite's C API on the calling thread — the writer's and each reader's. SQLiteNIO runs
/// each statement on a thread pool and hands the answer back, two thread switches per statement; a sale is about
/// fifteen statements and the writer is exclusive, so those switches were most of the time a sale held it, and a
/// product read spent more in them than in SQLite. Here a transaction's or a read's statements run back to back on
/// the task that holds the connection, and each statement is prepared once and kept (a repository's SQL text is the
/// same every time; only its binds change), so SQLite parses it once.
///
/// One task at a time uses it (the writer is exclusive, `GroupCommit`; readers come from a pool), hence
/// `@unchecked Sendable`.
final class SQLiteDirectConnection: @unchecked Sendable {
    private var handle: OpaquePointer?
    private var prepared: [String: OpaquePointer] = [:]
    /// Kept alive for the update hook, which holds it unretained (`forgetCredentials(on:)`).
    private var credentials: CredentialCache?
    /// Distinct statements kept at most (IN lists of many lengths are distinct texts); past it the cache starts over.
    private static let cacheLimit = 512
    #if DEBUG
    /// A statement is running (debug builds check that no two do at once: `execute`).
    private let inUse = Atomic<Bool>(false)
    #endif

    /// `readOnly`: a reader, refused any write (one that tried would take the write lock behind the writer's back).
    /// `create: false` for a file that must already be there (a backup's source or copy): a typo never makes an
    /// empty database.
    init(path: String, readOnly: Bool = false, create: Bool = true) throws {
        var handle: OpaquePointer?
        // No mutex of SQLite's own on the connection (multi-thread mode): one task at a time uses it, and in
        // serialized mode every call — each column of each row — took and gave back a lock (7 % of the server's CPU
        // answering pages of 250 products, BENCHMARKS.md).
        let flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI
        let opened = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
        guard opened == SQLITE_OK, let handle else {
            let message = handle.flatMap { sqlite_nio_sqlite3_errmsg($0).map { String(cString: $0) } } ?? "cannot open \(path)"
            sqlite_nio_sqlite3_close(handle)
            throw SQLiteStatementError(code: opened, message: message)
        }
        self.handle = handle
        sqlite_nio_sqlite3_extended_result_codes(handle, 1)
        sqlite_nio_sqlite3_busy_timeout(handle, 10_000)
        // Kept statements stay kept: without this, a statement whose plan looked at a bound value (the store view of
        // a product did) is planned again whenever that value changes — every sale (5 % of a checkout's CPU).
        _ = stockroom_sqlite_plan_once(UnsafeMutableRawPointer(handle))
        if readOnly {
            do {
                try execute("PRAGMA query_only = ON", []) { _ in }
                // Where `committedSinceAsked` starts from: nothing was kept from before this connection opened.
                _ = try committedSinceAsked()
            } catch {
                close()
                throw error
            }
        }
    }

    /// Runs one statement with `binds`, calling `onRow` for each row it returns.
    func execute(_ sql: String, _ binds: [SQLiteData], _ onRow: (any SQLRow) -> Void) throws {
        #if DEBUG
        // The connection has no mutex of SQLite's (multi-thread mode): two threads in it at once would corrupt it, so
        // debug builds — the tests — stop at the first statement that finds another one running.
        precondition(!inUse.exchange(true, ordering: .acquiring), "two statements at once on one SQLite connection")
        defer { inUse.store(false, ordering: .releasing) }
        #endif
        guard let handle else { throw SQLiteStatementError(code: SQLITE_MISUSE, message: "the connection is closed") }
        let statement = try statement(for: sql, handle)
        defer {
            sqlite_nio_sqlite3_reset(statement)
            sqlite_nio_sqlite3_clear_bindings(statement)
        }
        for (index, value) in binds.enumerated() {
            try check(bind(value, at: Int32(index + 1), statement), handle, sql)
        }
        var columns: DirectRow.Columns?
        while true {
            let step = sqlite_nio_sqlite3_step(statement)
            if step == SQLITE_DONE { return }
            guard step == SQLITE_ROW else { throw error(step, handle, sql) }
            let names = columns ?? DirectRow.Columns(statement)
            columns = names
            onRow(DirectRow(columns: names, values: (0..<Int32(names.names.count)).map { value(statement, $0) }))
        }
    }

    /// Calls `cache.forgetAll` — inside a write, through `Transaction.forgetCredentials`, so again after its commit —
    /// whenever a statement on this connection changes or deletes an account, or deletes a session or a token,
    /// whatever code wrote it (SQLite's update hook runs on the writing thread, within the statement). A session's or
    /// token's UPDATE only marks it used (a new expiry, a last-use time): not a revocation, so not a reason to forget
    /// every caller once a minute per till. The connection holds the cache for as long as the hook may call it.
    func forgetCredentials(on cache: CredentialCache) {
        credentials = cache
        sqlite_nio_sqlite3_update_hook(
            handle,
            { context, operation, _, table, _ in
                guard operation != SQLITE_INSERT, let context, let table else { return }
                let changed =
                    strcmp(table, "users") == 0
                    || (operation == SQLITE_DELETE && (strcmp(table, "sessions") == 0 || strcmp(table, "api_tokens") == 0))
                guard changed else { return }
                if let transaction = Transaction.current {
                    transaction.forgetCredentials()
                } else {
                    Unmanaged<CredentialCache>.fromOpaque(context).takeUnretainedValue().forgetAll()
                }
            }, Unmanaged.passUnretained(cache).toOpaque())
    }

    /// `PRAGMA data_version` as this connection last read it.
    private var dataVersion: Int64?

    /// Whether another connection committed since this one last asked (a reader first asks as it opens): SQLite's
    /// `data_version` moves for every commit but this connection's own.
    func committedSinceAsked() throws -> Bool {
        var version: Int64?
        try execute("PRAGMA data_version", []) { row in version = try? row.decode(column: "data_version", as: Int64.self) }
        defer { dataVersion = version }
        return version == nil || version != dataVersion
    }

    /// Stops the statement running on another thread (a backup's `VACUUM INTO` at shutdown); it fails with
    /// SQLITE_INTERRUPT. Safe from any thread while the connection is open — the caller keeps it from racing `close()`
    /// (the backup does both under one lock).
    func interrupt() {
        if let handle { sqlite_nio_sqlite3_interrupt(handle) }
    }

    func close() {
        if credentials != nil { sqlite_nio_sqlite3_update_hook(handle, nil, nil) }
        for statement in prepared.values { sqlite_nio_sqlite3_finalize(statement) }
        prepared = [:]
        sqlite_nio_sqlite3_close_v2(handle)
        handle = nil
    }

    private func statement(for sql: String, _ handle: OpaquePointer) throws -> OpaquePointer {
        if let statement = prepared[sql] { return statement }
        if prepared.count >= Self.cacheLimit {
            for statement in prepared.values { sqlite_nio_sqlite3_finalize(statement) }
            prepared = [:]
        }
        var statement: OpaquePointer?
        let result = sqlite_nio_sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard result == SQLITE_OK, let statement else { throw error(result, handle, sql) }
        prepared[sql] = statement
        return statement
    }

    private func bind(_ value: SQLiteData, at index: Int32, _ statement: OpaquePointer) -> Int32 {
        switch value {
        case .integer(let number): sqlite_nio_sqlite3_bind_int64(statement, index, Int64(number))
        case .float(let number): sqlite_nio_sqlite3_bind_double(statement, index, number)
        // (the byte count, not -1: a NUL inside the text must not end it)
        case .text(let text): sqlite_nio_sqlite3_bind_text64(statement, index, text, UInt64(text.utf8.count), Self.transient, UInt8(SQLITE_UTF8))
        case .blob(let bytes) where bytes.readableBytes == 0: sqlite_nio_sqlite3_bind_zeroblob(statement, index, 0)
        case .blob(let bytes):
            bytes.withUnsafeReadableBytes { sqlite_nio_sqlite3_bind_blob64(statement, index, $0.baseAddress, UInt64($0.count), Self.transient) }
        case .null: sqlite_nio_sqlite3_bind_null(statement, index)
        }
    }

    private func value(_ statement: OpaquePointer, _ column: Int32) -> SQLiteData {
        switch sqlite_nio_sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER: return .integer(Int(sqlite_nio_sqlite3_column_int64(statement, column)))
        case SQLITE_FLOAT: return .float(sqlite_nio_sqlite3_column_double(statement, column))
        case SQLITE_TEXT:
            guard let text = sqlite_nio_sqlite3_column_text(statement, column) else { return .text("") }
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            guard let bytes = sqlite_nio_sqlite3_column_blob(statement, column), count > 0 else { return .blob(ByteBuffer()) }
            return .blob(ByteBuffer(bytes: UnsafeRawBufferPointer(start: bytes, count: count)))
        default: return .null
        }
    }

    private func check(_ result: Int32, _ handle: OpaquePointer, _ sql: String) throws {
        guard result == SQLITE_OK else { throw error(result, handle, sql) }
    }

    private func error(_ code: Int32, _ handle: OpaquePointer, _ sql: String) -> SQLiteStatementError {
        let message = sqlite_nio_sqlite3_errmsg(handle).map { String(cString: $0) } ?? "SQLite error \(code)"
        return SQLiteStatementError(code: sqlite_nio_sqlite3_extended_errcode(handle), message: message)
    }

    /// SQLite copies the bound text or bytes before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}

/// An SQLite error from a direct connection: SQLite's extended result code and its message.
struct SQLiteStatementError: Error, CustomStringConvertible, Sendable {
    public let code: Int32
    public let message: String

    public var description: String { "SQLite error \(code): \(message)" }

    /// A UNIQUE or PRIMARY KEY constraint failed.
    var isUniqueViolation: Bool {
        code == 2067 || code == 1555  // SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY
    }
}

/// One row a direct connection read: the statement's column names (shared by its rows) and the values.
struct DirectRow: SQLRow {
    final class Columns: Sendable {
        let names: [String]
        let index: [String: Int]
        /// Whether the name at each position is its first (the one a look-up by name answers).
        private let first: [Bool]
        /// Where the next look-up probably is. Rows are read column after column, in the same order for every row,
        /// so the column after the last one found is tried first and the dictionary only when it is not that one
        /// (hashing each name was 6 % of the CPU answering pages of 250 products, BENCHMARKS.md tenth sitting).
        /// A hint: a stale one costs a comparison.
        private let next = Atomic<Int>(0)

        init(_ statement: OpaquePointer) {
            let names = (0..<sqlite_nio_sqlite3_column_count(statement)).map { String(cString: sqlite_nio_sqlite3_column_name(statement, $0)) }
            let index = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
            self.names = names
            self.index = index
            first = names.indices.map { index[names[$0]] == $0 }
        }

        func position(of column: String) -> Int? {
            let guess = next.load(ordering: .relaxed)
            let found = guess < names.count && first[guess] && names[guess] == column ? guess : index[column]
            if let found { next.store(found + 1, ordering: .relaxed) }
            return found
        }
    }

    let columns: Columns
    let values: [SQLiteData]

    var allColumns: [String] { columns.names }

    func contains(column: String) -> Bool { columns.index[column] != nil }

    func decodeNil(column: String) throws -> Bool {
        columns.position(of: column).map { values[$0] == .null } ?? true
    }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        guard let position = columns.position(of: column) else {
            throw DecodingError.keyNotFound(SQLiteColumnKey(column), .init(codingPath: [], debugDescription: "No column \(column)"))
        }
        return try Self.plain(values[position], as: D.self)
    }

    /// The column types repositories read (integers, text, flags, doubles and their optionals) without
    /// `SQLiteDataDecoder`, whose dynamic casts per value were a tenth of the time to read a page of products; the
    /// rest (and any mismatch, for its error) goes through it. A type check here compares two metadata pointers, and
    /// the value is handed over as `D` by its bytes, with no `D?` or other generic type whose metadata the runtime
    /// would look up (under a lock) for every column of every row.
    private static func plain<D: Decodable>(_ value: SQLiteData, as type: D.Type) throws -> D {
        switch value {
        case .integer(let number):
            if D.self == Int64.self { return bits(Int64(number), as: D.self) }
            if D.self == optionalInt64 { return bits(Int64?.some(Int64(number)), as: D.self) }
            if D.self == Int.self { return bits(number, as: D.self) }
            if D.self == optionalInt { return bits(Int?.some(number), as: D.self) }
            if number == 0 || number == 1 {
                if D.self == Bool.self { return bits(number == 1, as: D.self) }
                if D.self == optionalBool { return bits(Bool?.some(number == 1), as: D.self) }
            }
            if D.self == Double.self { return bits(Double(number), as: D.self) }
            if D.self == optionalDouble { return bits(Double?.some(Double(number)), as: D.self) }
        case .text(let text):
            if D.self == String.self { return bits(text, as: D.self) }
            if D.self == optionalString { return bits(String?.some(text), as: D.self) }
        case .float(let number):
            if D.self == Double.self { return bits(number, as: D.self) }
            if D.self == optionalDouble { return bits(Double?.some(number), as: D.self) }
        case .null:
            if D.self == optionalInt64 { return bits(Int64?.none, as: D.self) }
            if D.self == optionalInt { return bits(Int?.none, as: D.self) }
            if D.self == optionalString { return bits(String?.none, as: D.self) }
            if D.self == optionalBool { return bits(Bool?.none, as: D.self) }
            if D.self == optionalDouble { return bits(Double?.none, as: D.self) }
        case .blob: break
        }
        return try SQLiteDataDecoder().decode(D.self, from: value)
    }

    // Optional types' metadata looked up once: `Optional<Int64>.self` in code generic over `D` asks the runtime's
    // metadata cache, under a lock, every time (12 % of a page of 250 products).
    private static let optionalInt64: Any.Type = Int64?.self
    private static let optionalInt: Any.Type = Int?.self
    private static let optionalBool: Any.Type = Bool?.self
    private static let optionalDouble: Any.Type = Double?.self
    private static let optionalString: Any.Type = String?.self

    /// `value` as `D`, which the caller checked is `T` (a copy: a string's storage is retained for it). Inlined, so
    /// `T` is a concrete type at every use.
    @inline(__always)
    private static func bits<T, D>(_ value: T, as type: D.Type) -> D {
        withUnsafeBytes(of: value) { $0.load(as: D.self) }
    }

    private struct SQLiteColumnKey: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(_ name: String) { stringValue = name }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

/// SQLKit over a direct connection (the writer or a reader): repositories write their SQL once for both engines and run it here unchanged.
struct SQLiteDirectDatabase: SQLDatabase {
    let connection: SQLiteDirectConnection
    let logger: Logger
    let eventLoop: any EventLoop

    var dialect: any SQLDialect { SQLiteDialect() }
    var queryLogLevel: Logger.Level? { nil }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        eventLoop.makeCompletedFuture { try run(query, onRow) }
    }

    /// Runs on the calling task: no suspension, no thread switch.
    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try run(query, onRow)
    }

    private func run(_ query: any SQLExpression, _ onRow: (any SQLRow) -> Void) throws {
        let (sql, binds) = serialize(query)
        try connection.execute(sql, try binds.map { try Self.data($0) }, onRow)
    }

    /// What `SQLiteDataEncoder` makes of a bound value. The plain types are told apart by type identity; the
    /// encoder (a new `JSONEncoder` inside each one made, and a dynamic cast per value) is left for the rest.
    static func data(_ value: any Encodable & Sendable) throws -> SQLiteData {
        if let plain = plain(value) { return plain }
        return try SQLiteDataEncoder().encode(value)
    }

    private static func plain<Value: Encodable>(_ value: Value) -> SQLiteData? {
        if Value.self == Int64.self { return .integer(Int(unsafeBitCast(value, to: Int64.self))) }
        if Value.self == String.self { return .text(unsafeBitCast(value, to: String.self)) }
        if Value.self == Int.self { return .integer(unsafeBitCast(value, to: Int.self)) }
        if Value.self == Bool.self { return .integer(unsafeBitCast(value, to: Bool.self) ? 1 : 0) }
        if Value.self == Double.self { return .float(unsafeBitCast(value, to: Double.self)) }
        if Value.self == Int64?.self { return unsafeBitCast(value, to: Int64?.self).map { .integer(Int($0)) } ?? .null }
        if Value.self == String?.self { return unsafeBitCast(value, to: String?.self).map { .text($0) } ?? .null }
        if Value.self == Int?.self { return unsafeBitCast(value, to: Int?.self).map { .integer($0) } ?? .null }
        if Value.self == Bool?.self { return unsafeBitCast(value, to: Bool?.self).map { .integer($0 ? 1 : 0) } ?? .null }
        if Value.self == Double?.self { return unsafeBitCast(value, to: Double?.self).map { .float($0) } ?? .null }
        return nil
    }
}
