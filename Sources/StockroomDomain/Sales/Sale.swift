import Foundation

/// How a sale was paid. Input accepts StockManager's free text in English or Spanish and Credith's upper case.
public enum PaymentMethod: String, Sendable, Codable {
    case cash, card, transfer, other

    public init?(input: String) {
        switch input.trimmingCharacters(in: .whitespaces).lowercased() {
        case "cash", "efectivo", "contado": self = .cash
        case "card", "tarjeta", "credit", "debit", "credito", "crédito", "debito", "débito": self = .card
        case "transfer", "transferencia", "bank transfer": self = .transfer
        case "other", "otro": self = .other
        default: return nil
        }
    }
}

public enum SaleStatus: String, Sendable, Codable {
    case completed, voided
}

/// A sale (Credith calls it a bill): lines with the prices and costs captured when it was made.
public struct Sale: Sendable, Equatable {
    public var id: Int64
    public var companyID: Int64
    public var storeID: Int64
    public var vendorID: Int64
    public var vendorName: String
    public var billNumber: Int64
    public var status: SaleStatus
    public var paymentMethod: PaymentMethod
    public var customer: String?
    public var subtotalCents: Int64
    public var discountCents: Int64
    public var taxCents: Int64
    public var totalCents: Int64
    /// The tax the sale was made with.
    public var tax: TaxSettings
    public var lines: [SaleLine]
    public var createdAt: Date
    public var updatedAt: Date

    public var totalQuantity: Int64 { lines.reduce(0) { $0 + $1.quantity } }
}

public struct SaleLine: Sendable, Equatable {
    public var productID: Int64
    public var productName: String
    public var quantity: Int64
    public var unitPriceCents: Int64
    var unitCostCents: Int64
    /// Line discount in hundredths of a percent (1,250 = 12.5 %).
    public var discountBasisPoints: Int64
    public var lineTotalCents: Int64
}

/// What a caller asks to sell: products and quantities (and per-line discounts); never prices.
public struct SaleRequest: Sendable {
    public struct Line: Sendable {
        public var productID: Int64
        public var quantity: Int64
        /// Nil when the request names none: a new line has none, an edited line keeps the one it had (0 takes it off).
        public var discountBasisPoints: Int64?

        public init(productID: Int64, quantity: Int64, discountBasisPoints: Int64? = nil) {
            self.productID = productID
            self.quantity = quantity
            self.discountBasisPoints = discountBasisPoints
        }
    }

    public var storeID: Int64?
    public var lines: [Line]
    public var paymentMethod: PaymentMethod = .cash
    public var customer: String?
    public var discountCents: Int64 = 0

    public init(storeID: Int64? = nil, lines: [Line], paymentMethod: PaymentMethod = .cash, customer: String? = nil, discountCents: Int64 = 0) {
        self.storeID = storeID
        self.lines = lines
        self.paymentMethod = paymentMethod
        self.customer = customer
        self.discountCents = discountCents
    }
}

/// The company's tax: a rate in basis points, on top of prices or included in them.
public struct TaxSettings: Sendable, Equatable {
    public var rateBasisPoints: Int64
    public var pricesIncludeTax: Bool

    /// Tax and total for a taxable amount, rounding half up to the cent.
    public func apply(to taxable: Int64) -> (tax: Int64, total: Int64) {
        guard rateBasisPoints > 0 else { return (0, taxable) }
        if pricesIncludeTax {
            let net = (taxable * 10_000 + (10_000 + rateBasisPoints) / 2) / (10_000 + rateBasisPoints)
            return (taxable - net, taxable)
        }
        let tax = (taxable * rateBasisPoints + 5_000) / 10_000
        return (tax, taxable + tax)
    }
}
