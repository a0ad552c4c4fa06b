import Foundation
import Hummingbird
import StockroomDomain

/// A transfer with its lines (what is still in transit on each) and, read alone, its receipts.
struct TransferResponse: ResponseEncodable, Sendable, AllKeysEncodable {
    struct Line: Encodable, Sendable, AllKeysEncodable {
        let id: Int64
        let productID: Int64
        let productName: String
        let barcode: String
        let quantity: Int64
        let received: Int64
        let lost: Int64
        let inTransit: Int64

        init(_ line: Transfer.Line) {
            id = line.id
            productID = line.productID
            productName = line.productName
            barcode = line.barcode
            quantity = line.quantity
            received = line.received
            lost = line.lost
            inTransit = line.inTransit
        }
    }

    struct Receipt: Encodable, Sendable, AllKeysEncodable {
        struct Line: Encodable, Sendable, AllKeysEncodable {
            let lineID: Int64
            let productID: Int64
            let received: Int64
            let lost: Int64
            let reason: String?
        }

        let id: Int64
        let receivedBy: Int64?
        let note: String
        let createdAt: Date
        let lines: [Line]

        init(_ receipt: Transfer.Receipt) {
            id = receipt.id
            receivedBy = receipt.receivedBy
            note = receipt.note
            createdAt = receipt.createdAt
            lines = receipt.lines.map { Line(lineID: $0.lineID, productID: $0.productID, received: $0.received, lost: $0.lost, reason: $0.reason) }
        }
    }

    let id: Int64
    let reference: String
    let fromStoreID: Int64
    let fromStoreName: String
    let toStoreID: Int64
    let toStoreName: String
    let status: String
    let note: String
    let units: Int64
    let unitsInTransit: Int64
    let unitsLost: Int64
    let dispatchedBy: Int64?
    let createdAt: Date
    let updatedAt: Date
    let receivedAt: Date?
    let lines: [Line]
    /// Null in the list, which does not read them.
    let receipts: [Receipt]?

    init(_ transfer: Transfer, withReceipts: Bool = true) {
        id = transfer.id
        reference = transfer.reference
        fromStoreID = transfer.fromStoreID
        fromStoreName = transfer.fromStoreName
        toStoreID = transfer.toStoreID
        toStoreName = transfer.toStoreName
        status = transfer.status.rawValue
        note = transfer.note
        units = transfer.lines.reduce(0) { $0 + $1.quantity }
        unitsInTransit = transfer.lines.reduce(0) { $0 + $1.inTransit }
        unitsLost = transfer.lines.reduce(0) { $0 + $1.lost }
        dispatchedBy = transfer.dispatchedBy
        createdAt = transfer.createdAt
        updatedAt = transfer.updatedAt
        receivedAt = transfer.receivedAt
        lines = transfer.lines.map(Line.init)
        receipts = withReceipts ? transfer.receipts.map(Receipt.init) : nil
    }
}

/// Units of a product on their way to a store.
struct InTransitResponse: ResponseEncodable, Sendable, AllKeysEncodable {
    let storeID: Int64
    let productID: Int64
    let productName: String
    let quantity: Int64

    init(_ units: InTransit) {
        storeID = units.toStoreID
        productID = units.productID
        productName = units.productName
        quantity = units.quantity
    }
}
