/// The dashboard: the day's numbers and the stock to watch for those who see reports, and the latest sales.
struct DashboardView: Sendable {
    /// Absent for those without reports, whose dashboard opens the till instead.
    let stats: Stats?
    let recentSales: [SaleRow]

    /// The day's numbers, written for reading.
    struct Stats: Sendable {
        let products: String
        let lowStock: String
        let salesToday: String
        let revenueToday: String
        let inventoryValue: String
        let lowStockList: [LowStock]
        let expiring: [Expiring]

        init(_ stats: DashboardStats, _ format: DisplayFormat) {
            products = format.number(Double(stats.products))
            lowStock = format.number(Double(stats.lowStock.total))
            salesToday = format.number(Double(stats.salesToday.sales))
            revenueToday = format.money(cents: stats.salesToday.revenueCents)
            inventoryValue = format.money(cents: stats.inventoryValueCents)
            lowStockList = stats.lowStock.levels.map {
                LowStock(name: $0.name, barcode: $0.barcode, store: $0.storeName, stock: $0.stock, minStock: $0.minStock)
            }
            expiring = stats.expiring.map { Expiring(name: $0.name, date: $0.expirationDate, stock: $0.stock) }
        }
    }

    struct LowStock: Sendable {
        let name: String
        let barcode: String
        let store: String
        let stock: Int64
        let minStock: Int64
    }

    struct Expiring: Sendable {
        let name: String
        let date: String
        let stock: Int64
    }
}
