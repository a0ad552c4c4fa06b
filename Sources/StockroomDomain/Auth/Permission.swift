/// What each role may do: the one table every route consults (through `Caller.require`). Store and company
/// scoping comes on top, in the services' queries.
///
/// StockManager's published matrix with `owner` in root's place, scoped the way Credith scopes.
public enum Permission: Sendable, CaseIterable {
    /// List, create, edit and deactivate accounts (admins: vendors of their own store).
    case manageUsers
    /// Approve or reject pending registrations (admins: for their own store).
    case reviewApplications
    /// Create, edit, activate and deactivate stores.
    case manageStores
    /// The company-wide audit log and the history of any entity.
    case viewCompanyAudit
    /// Create and edit products, categories and stock (admins: in their own store).
    case manageCatalog
    /// Move stock between stores (admins: only out of their own store).
    case transferStock
    /// Company-wide inventory views (Credith's OWNER-only store-inventory reads).
    case viewAllInventory
    /// Low-stock reports (Credith: OWNER and ADMIN).
    case viewLowStock
    /// Edit and void sales (admins: their store's).
    case editSales
    /// Dashboard stats, sales metrics and the never-sold report (admins: their own store).
    case viewReports
    /// This node's recent log lines (`GET /api/debug/logs`), the company's own.
    case readServerLog
    /// Suppliers, purchase orders and receiving goods against them (admins: orders for their own store).
    case managePurchasing
    /// The audit history of one account (admins: accounts of their own store; everyone: their own).
    case viewUserAudit

    public func allows(_ role: Role) -> Bool {
        switch self {
        case .manageUsers, .reviewApplications, .manageCatalog, .transferStock, .viewLowStock, .editSales, .viewReports, .managePurchasing:
            role == .owner || role == .admin
        case .manageStores, .viewCompanyAudit, .viewAllInventory, .readServerLog: role == .owner
        case .viewUserAudit: true
        }
    }
}
