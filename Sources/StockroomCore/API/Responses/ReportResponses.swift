import Foundation
import Hummingbird

/// `GET /api/stats`: the dashboard's counters for today (StockManager's keys, snake_case).
struct StatsResponse: ResponseEncodable, AllKeysEncodable {
    let products: Int
    let lowStock: Int
    /// Completed sales today on the business clock, and what they took.
    let salesToday: Int64
    let revenueToday: Double
    let lowStockList: [LowStockItem]
    /// StockManager's count of products expiring soon (within 30 days, or already expired, and still in stock); the
    /// products themselves (at most 50) in `expire_soon_list`.
    let expireSoon: Int
    let expireSoonList: [ExpiringItem]
    /// StockManager's value of the stock at its selling prices; at cost in `total_inventory_cost`.
    let totalInventoryValue: Double
    let totalInventoryCost: Double
    let date: String

    init(_ stats: DashboardStats) {
        products = stats.products
        lowStock = stats.lowStock.total
        salesToday = stats.salesToday.sales
        revenueToday = Money.amount(stats.salesToday.revenueCents)
        lowStockList = stats.lowStock.levels.map(LowStockItem.init)
        expireSoon = stats.expiringTotal
        expireSoonList = stats.expiring.map { ExpiringItem($0, today: stats.today) }
        totalInventoryValue = Money.amount(stats.inventoryRetailCents)
        totalInventoryCost = Money.amount(stats.inventoryValueCents)
        date = LocalDay.string(stats.today)
    }

    struct LowStockItem: Encodable, AllKeysEncodable {
        let id: Int64
        let name, barcode: String
        /// StockManager's name for the barcode.
        let sku: String
        let storeID: Int64
        let storeName: String
        let stock, minStock: Int64

        init(_ level: LevelAlert) {
            id = level.productID
            name = level.name
            barcode = level.barcode
            sku = level.barcode
            storeID = level.storeID
            storeName = level.storeName
            stock = level.stock
            minStock = level.minStock
        }
    }

    struct ExpiringItem: Encodable, AllKeysEncodable {
        let id: Int64
        let name, barcode, expirationDate: String
        /// Negative once the date has passed.
        let daysLeft: Int64?
        let stock: Int64

        init(_ product: ExpiringProduct, today: Int64) {
            id = product.productID
            name = product.name
            barcode = product.barcode
            expirationDate = product.expirationDate
            daysLeft = LocalDay.parse(product.expirationDate).map { $0 - today }
            stock = product.stock
        }
    }
}

/// StockManager's `{products: [{id, name, sku, stock, price}]}`, and Stockroom's page beside it (`data`, with the
/// fuller items the staff pages read, and the paging fields).
struct NeverSoldResponse: ResponseEncodable {
    struct Product: Encodable {
        let id: Int64
        let name, sku: String
        let stock: Int64
        let price: Double
    }

    let products: [Product]
    let data: [NeverSoldItem]
    let total, page, pages, limit: Int

    init(_ page: Paged<NeverSoldItem>) {
        products = page.data.map { Product(id: $0.id, name: $0.name, sku: $0.barcode, stock: $0.stock, price: $0.price) }
        data = page.data
        (total, self.page, pages, limit) = (page.total, page.page, page.pages, page.limit)
    }
}

/// One row of `GET /api/never-sold`.
struct NeverSoldItem: Encodable, AllKeysEncodable {
    let id: Int64
    let barcode, name: String
    let stock: Int64
    let price, cost: Double
    let createdAt: Date
    /// Whole days since the product was listed.
    let daysListed: Int64

    init(_ product: UnsoldProduct, now: Date) {
        id = product.productID
        barcode = product.barcode
        name = product.name
        stock = product.stock
        price = Money.amount(product.priceCents)
        cost = Money.amount(product.costCents)
        createdAt = Date(unixMilliseconds: product.createdAtMilliseconds)
        daysListed = max(0, (now.unixMilliseconds - product.createdAtMilliseconds) / LocalClock.millisecondsPerDay)
    }
}
