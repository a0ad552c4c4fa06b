import Foundation

/// A company's supplier: who the shop buys from.
public struct Supplier: Sendable, Equatable {
    public var id: Int64
    public var companyID: Int64
    public var name: String
    public var contact: String
    public var email: String
    public var phone: String
    public var taxID: String
    public var notes: String
    public var isActive: Bool
    public var createdAt: Date
    public var updatedAt: Date
}

/// A supplier's fields as sent: on a create every absent one is empty; on an update only those sent change.
public struct SupplierFields: Sendable {
    public var name: String?
    public var contact: String?
    public var email: String?
    public var phone: String?
    public var taxID: String?
    public var notes: String?
    public var isActive: Bool?

    public init(
        name: String? = nil, contact: String? = nil, email: String? = nil, phone: String? = nil, taxID: String? = nil,
        notes: String? = nil, isActive: Bool? = nil
    ) {
        self.name = name
        self.contact = contact
        self.email = email
        self.phone = phone
        self.taxID = taxID
        self.notes = notes
        self.isActive = isActive
    }
}

/// A product as one supplier sells it: the supplier's own code for it and what it last cost from them.
public struct ProductSupplier: Sendable, Equatable {
    public var productID: Int64
    public var supplierID: Int64
    public var supplierName: String
    public var supplierCode: String
    public var lastCostCents: Int64?
    public var updatedAt: Date
}

/// The supplier list's filters.
public struct SupplierFilter: Sendable {
    /// Part of the name, contact, email or tax id, any case.
    public var search: String?
    /// Only active (true) or only inactive (false) suppliers; nil for both.
    public var active: Bool?

    public init(search: String? = nil, active: Bool? = nil) {
        self.search = search
        self.active = active
    }
}
