import Foundation
import SQLKit

/// SQL for the till settings, kept on the company's row.
struct TillSettingsRepository: Sendable {
    func settings(companyID: Int64, _ db: any SQLDatabase) async throws -> TillSettings {
        var settings = TillSettings()
        guard
            let row = try await db.raw(
                """
                SELECT receipt_name, receipt_address, tax_id, receipt_footer, receipt_width, max_discount_admin_basis_points,
                       max_discount_vendor_basis_points
                FROM companies WHERE id = \(bind: companyID)
                """
            ).first()
        else { return settings }
        settings.shopName = try row.decode(column: "receipt_name", as: String.self)
        settings.address = try row.decode(column: "receipt_address", as: String.self)
        settings.taxID = try row.decode(column: "tax_id", as: String.self)
        settings.footer = try row.decode(column: "receipt_footer", as: String.self)
        settings.receiptWidth = try row.decode(column: "receipt_width", as: Int64.self)
        settings.maxDiscountAdmin = try row.decode(column: "max_discount_admin_basis_points", as: Int64.self)
        settings.maxDiscountVendor = try row.decode(column: "max_discount_vendor_basis_points", as: Int64.self)
        return settings
    }

    func setSettings(_ settings: TillSettings, companyID: Int64, _ db: any SQLDatabase) async throws {
        try await db.raw(
            """
            UPDATE companies SET receipt_name = \(bind: settings.shopName), receipt_address = \(bind: settings.address),
                tax_id = \(bind: settings.taxID), receipt_footer = \(bind: settings.footer), receipt_width = \(bind: settings.receiptWidth),
                max_discount_admin_basis_points = \(bind: settings.maxDiscountAdmin),
                max_discount_vendor_basis_points = \(bind: settings.maxDiscountVendor)
            WHERE id = \(bind: companyID)
            """
        ).run()
    }

    /// The company's name and the store's address, for a receipt's header.
    func header(companyID: Int64, storeID: Int64, _ db: any SQLDatabase) async throws -> (company: String, storeAddress: String?) {
        let row = try await db.raw(
            """
            SELECT c.name, s.address FROM companies c LEFT JOIN stores s ON s.id = \(bind: storeID) AND s.company_id = c.id
            WHERE c.id = \(bind: companyID)
            """
        ).first()
        return (try row?.decode(column: "name", as: String.self) ?? "", try row?.decode(column: "address", as: String?.self))
    }
}
