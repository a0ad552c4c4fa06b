import Foundation
import SQLKit

extension CatalogRepository {
    public func product(barcode: String, companyID: Int64, _ db: any SQLDatabase) async throws -> Int64? {
        try await db.raw("SELECT id FROM products WHERE company_id = \(bind: companyID) AND barcode = \(bind: barcode)")
            .first(decodingColumn: "id", as: Int64.self)
    }
}
