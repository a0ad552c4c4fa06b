import ArgumentParser
import Foundation
import NIOCore
import NIOPosix
import StockroomCore

/// `stockroom-bench catalog`: the reads a shop makes all day — product lists, searches, barcode lookups, a product's
/// page, a store's stock — from many tills and back offices at once, over a big catalog in many stores.
struct CatalogBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog",
        abstract: "Catalog reads (lists, searches, lookups, store stock) from many connections over a large catalog.",
        discussion: """
            Seeds --products products stocked in --stores stores (the ledger's opening movements included) and 64 \
            vendors with API tokens in the first store, starts `stockroom serve`, then --connections keep-alive \
            connections each send their next request as soon as the last is answered, for --duration seconds after \
            2 s of warm-up. Vendors list products a page at a time (page k in proportion to 1/k), search by name, look \
            a barcode up as the till does and open a product; one connection in eight is the owner reading another \
            store's stock and products.
            """)

    @OptionGroup var database: BenchDatabaseOptions

    @Option(help: "Products in the catalog.")
    var products = 10_000

    @Option(help: "Stores, each stocking every product.")
    var stores = 10

    @Option(help: "Concurrent connections (tills and back offices).")
    var connections = 64

    @Option(help: "Seconds measured (after 2 s of warm-up).")
    var duration = 20

    @Option(
        help:
            "Only this kind of read from every connection, to see one read's own cost: page, page250 (a page of 250 products), search, lookup, product or store."
    )
    var only: Only?

    enum Only: String, ExpressibleByArgument {
        case page, page250, search, lookup, product, store

        var kind: Kind {
            switch self {
            case .page: .page
            case .page250: .bigPage
            case .search: .search
            case .lookup: .lookup
            case .product: .product
            case .store: .storeStock
            }
        }
    }

    func validate() throws {
        try database.validate()
        guard products >= 100, stores >= 1, connections >= 1, duration >= 1 else {
            throw ValidationError("--products ≥ 100, --stores, --connections and --duration ≥ 1")
        }
    }

    enum Kind: String, CaseIterable {
        case page = "product list page"
        case search = "name search"
        case lookup = "barcode lookup"
        case product = "one product"
        case storeStock = "store stock (owner)"
        case bigPage = "page of 250 products"
    }

    func run() async throws {
        let bench = try await database.prepare()
        defer { bench.remove() }
        let (seed, storeIDs) = try await bench.seedShop(tills: 64, products: products, stores: stores)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
        try await bench.serve { server in
            let clients = (0..<connections).map { worker in
                let token = worker % 8 == 7 || only == .store ? seed.owner.token : seed.vendors[worker % seed.vendors.count].token
                return RequestClient(host: "127.0.0.1", port: server.port, token: token, group: group, maxConnections: 1)
            }
            let products = products
            // Lists are browsed from the front: page k is asked for in proportion to 1/k (page 1 one time in six
            // at 200 pages), as staff and apps page through a catalog; deep pages cost a scan to their offset.
            let pages = Zipf(count: max(1, products / 50))
            let (recorder, usage) = await ClosedLoop.measure(clients, server: server, for: .seconds(duration)) { worker, iteration in
                // Spread over the catalog by a large prime stride, different for every worker.
                let product = 1 + (worker * 7_919 + iteration * 104_729) % products
                let kind: Kind = only.map(\.kind) ?? (worker % 8 == 7 ? .storeStock : [.page, .search, .lookup, .product][iteration % 4])
                let page = pages.pick(worker: worker, iteration: iteration)
                return switch kind {
                case .page: BenchRequest(kind: kind.rawValue, method: .GET, path: "/api/products?page=\(page)&limit=50")
                case .bigPage:
                    BenchRequest(kind: kind.rawValue, method: .GET, path: "/api/products?page=\(1 + page % max(1, products / 250))&limit=250")
                case .search: BenchRequest(kind: kind.rawValue, method: .GET, path: "/api/products?search=product%20\(product)&limit=20")
                case .lookup: BenchRequest(kind: kind.rawValue, method: .GET, path: "/api/items?q=SOAK\(product)")
                case .product: BenchRequest(kind: kind.rawValue, method: .GET, path: "/api/products/\(product)")
                case .storeStock:
                    // the owner, reading another store's stock and products
                    iteration % 2 == 0
                        ? BenchRequest(
                            kind: kind.rawValue, method: .GET,
                            path: "/api/store-inventory/store/\(storeIDs[(worker + iteration) % storeIDs.count])?limit=50&offset=\((page - 1) * 50)")
                        : BenchRequest(
                            kind: kind.rawValue, method: .GET,
                            path: "/api/products?store_id=\(storeIDs[(worker + iteration) % storeIDs.count])&page=\(page)&limit=50")
                }
            }
            for client in clients { await client.close() }
            var table = LoadTable()
            for kind in Kind.allCases {
                let summary = recorder.summary([kind.rawValue])
                if !summary.latencies.isEmpty || summary.errors > 0 { table.add(kind.rawValue, summary, seconds: usage.seconds, usage: nil) }
            }
            table.add("all reads", recorder.summary(), seconds: usage.seconds, usage: usage)
            table.print()
            let errors = recorder.summary().errorKinds
            print("\n\(connections) connections, \(duration) s. Errors: \(errors.isEmpty ? "none" : errors.joined(separator: ", ")).")
        }
        try await group.shutdownGracefully()
    }
}
