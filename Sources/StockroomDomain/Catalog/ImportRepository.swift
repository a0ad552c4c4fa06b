import Foundation
import SQLKit

/// SQL for uploaded files kept between their preview and their confirm: each one its uploader's alone.
struct ImportRepository: Sendable {
    /// Keeps an upload as text, with the encoding it was read in; its id.
    func insert(
        _ csv: String, encoding: TextEncoding, companyID: Int64, userID: Int64, storeID: Int64, _ db: any SQLDatabase
    ) async throws -> Int64 {
        try await db.raw(
            """
            INSERT INTO product_imports (company_id, user_id, store_id, csv, encoding, created_at)
            VALUES (\(bind: companyID), \(bind: userID), \(bind: storeID), \(bind: csv), \(bind: encoding.rawValue), \(bind: Date.now.unixMilliseconds))
            RETURNING id
            """
        ).first(decodingColumn: "id", as: Int64.self)!
    }

    /// Drops the uploads made before `cutoff`.
    func drop(before cutoff: Date, _ db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM product_imports WHERE created_at < \(bind: cutoff.unixMilliseconds)").run()
    }

    /// The user's upload and the encoding it was read in (UTF-8 for uploads older than that record); nil when
    /// there is no such upload of theirs.
    func upload(_ id: Int64, companyID: Int64, userID: Int64, _ db: any SQLDatabase) async throws -> (csv: String, encoding: TextEncoding)? {
        guard
            let row = try await db.raw(
                """
                SELECT csv, encoding FROM product_imports WHERE id = \(bind: id) AND company_id = \(bind: companyID) AND user_id = \(bind: userID)
                """
            ).first()
        else { return nil }
        let encoding = try row.decode(column: "encoding", as: String?.self).flatMap(TextEncoding.init(rawValue:)) ?? .utf8
        return (try row.decode(column: "csv", as: String.self), encoding)
    }

    /// Takes (deletes) the user's upload; the store it was meant for, nil when there is no such upload of theirs.
    func take(_ id: Int64, companyID: Int64, userID: Int64, _ db: any SQLDatabase) async throws -> Int64? {
        try await db.raw(
            """
            DELETE FROM product_imports WHERE id = \(bind: id) AND company_id = \(bind: companyID) AND user_id = \(bind: userID)
            RETURNING store_id
            """
        ).first(decodingColumn: "store_id", as: Int64.self)
    }
}
