import Foundation
import Hummingbird
import StockroomDomain

/// A supplier, as `/api/suppliers` answers it.
struct SupplierResponse: ResponseEncodable, Sendable, AllKeysEncodable {
    let id: Int64
    let name: String
    let contact: String
    let email: String
    let phone: String
    let taxID: String
    let notes: String
    let isActive: Bool
    let createdAt: Date
    let updatedAt: Date

    init(_ supplier: Supplier) {
        id = supplier.id
        name = supplier.name
        contact = supplier.contact
        email = supplier.email
        phone = supplier.phone
        taxID = supplier.taxID
        notes = supplier.notes
        isActive = supplier.isActive
        createdAt = supplier.createdAt
        updatedAt = supplier.updatedAt
    }
}

/// A supplier of a product: its code for the product and what it last cost from them.
struct ProductSupplierResponse: ResponseEncodable, Sendable, AllKeysEncodable {
    let productID: Int64
    let supplierID: Int64
    let supplierName: String
    let supplierCode: String
    let lastCost: Double?
    let updatedAt: Date

    init(_ link: ProductSupplier) {
        productID = link.productID
        supplierID = link.supplierID
        supplierName = link.supplierName
        supplierCode = link.supplierCode
        lastCost = link.lastCostCents.map(Money.amount)
        updatedAt = link.updatedAt
    }
}

/// A purchase order with its lines (what is due on each) and, read alone, its receipts.
struct PurchaseOrderResponse: ResponseEncodable, Sendable, AllKeysEncodable {
    struct Line: Encodable, Sendable, AllKeysEncodable {
        let id: Int64
        let productID: Int64
        let productName: String
        let barcode: String
        let quantity: Int64
        let unitCost: Double
        let received: Int64
        let due: Int64
        let allowOverReceipt: Bool

        init(_ line: PurchaseOrder.Line) {
            id = line.id
            productID = line.productID
            productName = line.productName
            barcode = line.barcode
            quantity = line.quantity
            unitCost = Money.amount(line.unitCostCents)
            received = line.received
            due = line.due
            allowOverReceipt = line.allowOverReceipt
        }
    }

    struct Receipt: Encodable, Sendable, AllKeysEncodable {
        struct Line: Encodable, Sendable, AllKeysEncodable {
            let lineID: Int64
            let productID: Int64
            let quantity: Int64
            let unitCost: Double
        }

        let id: Int64
        let receivedBy: Int64?
        let note: String
        let createdAt: Date
        let lines: [Line]

        init(_ receipt: PurchaseReceipt) {
            id = receipt.id
            receivedBy = receipt.receivedBy
            note = receipt.note
            createdAt = receipt.createdAt
            lines = receipt.lines.map {
                Line(lineID: $0.lineID, productID: $0.productID, quantity: $0.quantity, unitCost: Money.amount($0.unitCostCents))
            }
        }
    }

    let id: Int64
    let number: Int64
    let storeID: Int64
    let storeName: String
    let supplierID: Int64
    let supplierName: String
    let status: String
    let notes: String
    let total: Double
    let unitsOrdered: Int64
    let unitsDue: Int64
    let createdBy: Int64?
    let createdAt: Date
    let updatedAt: Date
    let orderedAt: Date?
    let lines: [Line]
    /// Absent from the list, which does not read them.
    let receipts: [Receipt]?

    init(_ order: PurchaseOrder, withReceipts: Bool = true) {
        id = order.id
        number = order.number
        storeID = order.storeID
        storeName = order.storeName
        supplierID = order.supplierID
        supplierName = order.supplierName
        status = order.status.rawValue
        notes = order.notes
        total = Money.amount(order.totalCents)
        unitsOrdered = order.lines.reduce(0) { $0 + $1.quantity }
        // Nothing more arrives against a cancelled or received order.
        unitsDue = order.status.isReceiving || order.status == .draft ? order.lines.reduce(0) { $0 + $1.due } : 0
        createdBy = order.createdBy
        createdAt = order.createdAt
        updatedAt = order.updatedAt
        orderedAt = order.orderedAt
        lines = order.lines.map(Line.init)
        receipts = withReceipts ? order.receipts.map(Receipt.init) : nil
    }
}
