import ArgumentParser
import BrowserDriver
import ChildProcesses
import Foundation
import Logging
import SQLKit
import StockroomCore

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `stockroom-bench screenshots`: a shop with four months of trading, its main pages photographed in a real
/// headless Chromium at desktop and phone widths, in light and dark colours (`…-dark.png`), as PNG files.
struct Screenshots: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "screenshots",
        abstract: "Photograph the staff pages (dashboard, till, products, metrics) at desktop and phone widths, light and dark.",
        discussion: """
            Seeds a fresh SQLite shop (three stores, two dozen products, four months of sales), starts `stockroom serve` \
            (built beside this executable) and drives Debian's chromium through chromedriver. Needs the chromium and \
            chromium-driver packages.
            """)

    @Option(help: "Directory the PNG files are written to.")
    var out = "docs/screenshots"

    @Option(help: "Page language: en or es.")
    var language = "en"

    /// A corner shop's shelf: name, price, cost (in cents).
    static let shelf: [(String, Int, Int)] = [
        ("Arabica coffee beans 1 kg", 1890, 1120), ("Whole milk 1 L", 109, 72), ("Sourdough loaf", 349, 150), ("Free-range eggs ×12", 389, 240),
        ("Olive oil extra virgin 750 ml", 895, 610), ("Dark chocolate 85 %", 249, 130), ("Green tea ×20", 325, 180), ("Orange juice 1 L", 259, 150),
        ("Greek yoghurt 500 g", 289, 170), ("Basmati rice 1 kg", 279, 160), ("Spaghetti 500 g", 139, 70), ("Tomato passata 700 g", 169, 90),
        ("Manchego cheese 250 g", 595, 380), ("Serrano ham 100 g", 429, 260), ("Sparkling water 1.5 L", 79, 35), ("Butter 250 g", 289, 190),
        ("Honey 500 g", 649, 400), ("Oat biscuits", 199, 110), ("Bananas 1 kg", 189, 110), ("Avocados ×2", 299, 170),
        ("Dish soap", 239, 120), ("Paper towels ×2", 349, 200), ("Red wine Rioja", 995, 620), ("Craft beer 33 cl", 229, 120),
    ]

    func run() async throws {
        guard let chosen = Language(rawValue: language) else { throw ValidationError("--language must be en or es") }
        let bench = try await BenchDatabase.prepare(.sqlite)
        defer { bench.remove() }
        let seed = try await bench.withClient { client in
            let seed = try await BenchSeed.create(client, vendors: 0, logger: bench.logger)
            let companyID = try await client.read {
                try await $0.raw("SELECT MIN(id) AS id FROM companies").first(decodingColumn: "id", as: Int64.self)!
            }
            _ = try await ReportSeed(companyID: companyID, stores: 3, products: Self.shelf.count, sales: 9_000, days: 120).insert(client)
            try await Self.dressTheShop(client, companyID: companyID)
            try await SalesRollup(clock: LocalClock(timeZone: bench.config.timeZone)).prepare(client, logger: bench.logger)
            return seed
        }
        try await bench.serve { server in
            let base = "http://127.0.0.1:\(server.port)"
            // Today's trade through the API, so the dashboard and the bell have something to show.
            for (product, quantity) in [(1, 2), (3, 1), (16, 3), (2, 4)] {
                try await Self.post(
                    base + "/api/sales/bulk", token: seed.owner.token, json: #"{"items": [{"item_id": \#(product), "quantity": \#(quantity)}]}"#)
            }
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            var written: [String] = []
            for (width, height, form) in [(1280, 900, "desktop"), (390, 844, "phone")] {
                let browser = try await WebDriver.start(width: width, height: height)
                do {
                    try await browser.open(base + "/language/\(chosen.rawValue)?back=/login")
                    try await browser.signIn(at: base, "owner", "bench-password")
                    // The header's colour switch (a cookie): the same pages in light, then in dark.
                    for theme in ["light", "dark"] {
                        try await browser.open(base + "/theme/\(theme)?back=/")
                        for (name, path) in [("dashboard", "/"), ("till", "/till"), ("products", "/products"), ("metrics", "/reports?period=90")] {
                            try await browser.open(base + path)
                            // The cart is kept in the browser: filled once, shown again in dark.
                            if name == "till" {
                                if theme == "light" { try await Self.fillTheCart(browser) } else { try await Self.showTheCart(browser) }
                            }
                            let suffix = "\(form)\(chosen == .en ? "" : "-\(chosen.rawValue)")\(theme == "dark" ? "-dark" : "").png"
                            try await browser.screenshot().write(to: URL(filePath: "\(out)/\(name)-\(suffix)"))
                            written.append("\(out)/\(name)-\(suffix)")
                            // WebDriver photographs the window only: the charts, below the figures, get their own picture.
                            if name == "metrics" {
                                try await browser.script("document.querySelector('.metrics-grid').scrollIntoView()")
                                try await browser.screenshot().write(to: URL(filePath: "\(out)/metrics-charts-\(suffix)"))
                                written.append("\(out)/metrics-charts-\(suffix)")
                            }
                        }
                    }
                } catch {
                    await browser.quit()
                    throw error
                }
                await browser.quit()
            }
            for file in written { print(file) }
        }
    }

    /// Real names for the seeded company, stores and products, and a few shelves running low.
    static func dressTheShop(_ database: any DatabaseClient, companyID: Int64) async throws {
        try await database.withTransaction { transaction in
            let db = transaction.db
            try await db.raw("UPDATE companies SET name = 'Corner Market' WHERE id = \(bind: companyID)").run()
            let stores = try await db.raw("SELECT id FROM stores WHERE company_id = \(bind: companyID) ORDER BY id").all(
                decodingColumn: "id", as: Int64.self)
            for (id, name) in zip(stores, ["Centro", "Riverside", "Station kiosk"]) {
                try await db.raw("UPDATE stores SET name = \(bind: name) WHERE id = \(bind: id)").run()
            }
            let products = try await db.raw("SELECT id FROM products WHERE company_id = \(bind: companyID) ORDER BY id").all(
                decodingColumn: "id", as: Int64.self)
            for (index, (id, item)) in zip(products, shelf).enumerated() {
                let (name, price, cost) = item
                try await db.raw(
                    """
                    UPDATE products SET name = \(bind: name), barcode = \(bind: String(8_410_000_000_000 + index * 7 + 1)),
                                        price_cents = \(bind: price), cost_cents = \(bind: cost) WHERE id = \(bind: id)
                    """
                ).run()
                try await db.raw(
                    "UPDATE sale_lines SET unit_price_cents = \(bind: price), unit_cost_cents = \(bind: cost), line_total_cents = quantity * \(bind: price) WHERE product_id = \(bind: id)"
                ).run()
            }
            try await db.raw(
                """
                UPDATE sales SET subtotal_cents = (SELECT SUM(line_total_cents) FROM sale_lines l WHERE l.sale_id = sales.id),
                                 total_cents = (SELECT SUM(line_total_cents) FROM sale_lines l WHERE l.sale_id = sales.id)
                WHERE company_id = \(bind: companyID)
                """
            ).run()
            // Bill numbers go on from the seeded ones.
            try await db.raw("DELETE FROM store_bill_counters").run()
            try await db.raw("INSERT INTO store_bill_counters (store_id, last_number) SELECT store_id, MAX(bill_number) FROM sales GROUP BY store_id")
                .run()
            // Stock that matches its ledger: an opening movement per level, a few near their minimum.
            try await db.raw("UPDATE stock_levels SET in_stock = 12 + (product_id * 13) % 60, min_stock = 8").run()
            try await db.raw("UPDATE stock_levels SET in_stock = 9 WHERE product_id IN (\(bind: products[0]), \(bind: products[15]))").run()
            try await db.raw("DELETE FROM stock_movements").run()
            try await db.raw(
                """
                INSERT INTO stock_movements (company_id, store_id, product_id, kind, delta, stock_after, created_at)
                SELECT \(bind: companyID), store_id, product_id, 'opening', in_stock, in_stock, updated_at FROM stock_levels
                """
            ).run()
        }
    }

    /// Two products at the till, one by `CODE*3`.
    static func fillTheCart(_ browser: WebDriver) async throws {
        try await browser.type("#code", "8410000000001*3\n")
        try await browser.waitUntil("document.querySelectorAll('#cart tbody tr').length === 1")
        try await browser.type("#code", "olive\n")
        try await browser.waitUntil("document.querySelector('#results button')")
        try await browser.click("#results button")
        try await browser.waitUntil("document.querySelectorAll('#cart tbody tr').length === 2")
        try await browser.script("document.activeElement.blur()")
    }

    /// The cart filled before, restored from the browser's storage, with no field focused.
    static func showTheCart(_ browser: WebDriver) async throws {
        try await browser.waitUntil("document.querySelectorAll('#cart tbody tr').length === 2")
        try await browser.script("document.activeElement.blur()")
    }

    static func post(_ address: String, token: String, json: String) async throws {
        var request = URLRequest(url: URL(string: address)!)
        request.httpMethod = "POST"
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(json.utf8)
        let (data, response) = try await URLSession.shared.data(for: request)
        guard (response as? HTTPURLResponse)?.statusCode == 201 else {
            throw ServerProcess.Failure(description: "POST \(address): \(String(decoding: data, as: UTF8.self))")
        }
    }
}
