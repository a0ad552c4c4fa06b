import Foundation
import Hummingbird

/// A sale as StockManager's lists show it.
struct SaleResponse: ResponseEncodable, AllKeysEncodable {
    let id: Int64
    let billNumber: Int64
    let date: Date
    let products: [Line]
    let totalQuantity: Int64
    let subtotal: Double
    let discount: Double
    let tax: Double
    let total: Double
    let vendor: String
    /// StockManager's name for `vendor`.
    let vendedor: String
    let vendorID: Int64
    let paymentMethod: PaymentMethod
    let customer: String?
    let storeID: Int64
    let status: SaleStatus

    struct Line: Encodable, AllKeysEncodable {
        let productID: Int64
        let name: String
        let quantity: Int64
        let price: Double
        let subtotal: Double
    }

    init(_ sale: Sale) {
        id = sale.id
        billNumber = sale.billNumber
        date = sale.createdAt
        products = sale.lines.map {
            Line(
                productID: $0.productID, name: $0.productName, quantity: $0.quantity, price: Money.amount($0.unitPriceCents),
                subtotal: Money.amount($0.lineTotalCents))
        }
        totalQuantity = sale.totalQuantity
        subtotal = Money.amount(sale.subtotalCents)
        discount = Money.amount(sale.discountCents)
        tax = Money.amount(sale.taxCents)
        total = Money.amount(sale.totalCents)
        vendor = sale.vendorName
        vendedor = sale.vendorName
        vendorID = sale.vendorID
        paymentMethod = sale.paymentMethod
        customer = sale.customer
        storeID = sale.storeID
        status = sale.status
    }
}

/// The same record as Credith's bill (camelCase).
struct BillResponse: ResponseEncodable, AllKeysEncodable {
    static var keyStyle: JSONKeyStyle { .asWritten }
    let billId: Int64
    let billNumber: Int64
    let storeId: Int64
    let paymentType: String
    let customer: String?
    let subtotal: Double
    let taxAmount: Double
    let discountAmount: Double
    let total: Double
    let status: SaleStatus
    let details: [Detail]
    let createdAt: Date

    struct Detail: Encodable, AllKeysEncodable {
        static var keyStyle: JSONKeyStyle { .asWritten }
        let productId: Int64
        let name: String
        let quantity: Int64
        let unitPrice: Double
        let discountPercentage: Double
        let subtotal: Double
    }

    init(_ sale: Sale) {
        billId = sale.id
        billNumber = sale.billNumber
        storeId = sale.storeID
        paymentType = sale.paymentMethod.rawValue.uppercased()
        customer = sale.customer
        subtotal = Money.amount(sale.subtotalCents)
        taxAmount = Money.amount(sale.taxCents)
        discountAmount = Money.amount(sale.discountCents)
        total = Money.amount(sale.totalCents)
        status = sale.status
        details = sale.lines.map {
            Detail(
                productId: $0.productID, name: $0.productName, quantity: $0.quantity, unitPrice: Money.amount($0.unitPriceCents),
                discountPercentage: Double($0.discountBasisPoints) / 100, subtotal: Money.amount($0.lineTotalCents))
        }
        createdAt = sale.createdAt
    }
}
