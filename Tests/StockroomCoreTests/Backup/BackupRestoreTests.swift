import ChildProcesses
import Foundation
import HummingbirdTesting
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// README's "Back up and restore", followed as written against real servers: a backup taken while a stream of sales
/// goes on, restored into a fresh database, holds every sale acknowledged before the backup began.
@Suite("Backup and restore", .serialized)
struct BackupRestoreTests {
    @Test(
        "a backup taken during a stream of sales, restored as README says into a fresh database, holds every sale acknowledged before it began, and stockroom check passes",
        arguments: Engine.allCases)
    func backupDuringSales(engine: Engine) async throws {
        // setup: a server selling from four clients without pause
        let work = try Self.directory("backup-\(engine)")
        let live =
            switch engine {
            case .sqlite: "sqlite://" + work.appending(path: "live/shop.sqlite").path
            case .postgres: try await PostgresCluster.shared.makeDatabase()
            }
        if engine == .sqlite { try FileManager.default.createDirectory(at: work.appending(path: "live"), withIntermediateDirectories: true) }
        var nodes: [StockroomNode] = []
        do {
            let source = try await StockroomNode.startReady(name: "backup-live-\(engine)", environment: Self.environment(live))
            nodes.append(source)
            let owner = try await source.signIn("admin", TestDatabase.ownerPassword)
            let product = try await Self.createProduct(source, owner: owner)
            let stream = SaleStream()
            let selling = Task { await stream.run(node: source, cookie: owner, productID: product) }
            try await stream.waitFor(20)

            // act: README's backup command, mid-stream
            let before = stream.acknowledged
            let backup =
                switch engine {
                case .sqlite:
                    try await CommandRun.shell(
                        try Readme.script(section: "Back up and restore", containing: "stockroom backup"),
                        environment: ["STOCKROOM_DATABASE_URL": live], in: work)
                case .postgres:
                    try await CommandRun.shell(
                        try Readme.script(section: "Back up and restore", containing: "pg_dump"), environment: ["DATABASE": live], in: work)
                }
            let duringBackup = stream.acknowledged.count - before.count
            // the stream goes on after the backup: the shop was never stopped for it
            try await stream.waitFor(10, after: stream.acknowledged.count)
            stream.stop()
            await selling.value
            let sold = stream.acknowledged
            #expect(await source.process.terminate() == 0)
            #expect(backup.status == 0, "\(backup)")
            #expect(stream.unexpected.isEmpty, "sales refused: \(stream.unexpected.prefix(10))")

            // act: README's restore, into a fresh database
            let backupFile = try Self.onlyFile(
                in: engine == .sqlite ? work.appending(path: "backups") : work, suffix: engine == .sqlite ? ".sqlite" : ".dump")
            let restored: String
            let restore: CommandRun
            switch engine {
            case .sqlite:
                #expect(
                    backup.output.contains(backupFile.path.replacingOccurrences(of: work.path + "/", with: "")) && backup.output.contains("sale(s)"),
                    "the command names the file it wrote and what it holds:\n\(backup.output)")
                restored = "sqlite://" + work.appending(path: "fresh/shop.sqlite").path
                restore = try await CommandRun.shell(
                    try Readme.script(section: "Back up and restore", containing: "stockroom restore"),
                    environment: ["STOCKROOM_DATABASE_URL": restored, "BACKUP": backupFile.path], in: work)
            case .postgres:
                let name = "r_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
                restored = live.replacingOccurrences(of: #"/[a-z0-9_]+\?"#, with: "/\(name)?", options: .regularExpression)
                restore = try await CommandRun.shell(
                    try Readme.script(section: "Back up and restore", containing: "pg_restore", replacing: ["stockroom_restored": name]),
                    environment: ["STOCKROOM_DATABASE_URL": live, "DATABASE": live, "BACKUP": backupFile.path, "RESTORED": restored], in: work)
            }
            #expect(restore.status == 0 && restore.output.contains("✔ Every stock level matches its ledger"), "\(restore)")

            // check: a server on the restored database serves every sale acknowledged before the backup began
            let copy = try await StockroomNode.startReady(name: "backup-restored-\(engine)", environment: Self.environment(restored))
            nodes.append(copy)
            let reader = try await copy.signIn("admin", TestDatabase.ownerPassword)
            var missing: [String] = []
            for sale in before {
                let response = try await copy.request(.get, "/api/sales/\(sale.id)", cookie: reader)
                let json = try? JSONDecoder().decode(JSONValue.self, from: Data((response.body.map { String(buffer: $0) } ?? "").utf8))
                let quantity = json?["products"]?.array.first?["quantity"]
                if response.status != .ok || json?["status"] != .string("completed") || quantity != .int(sale.quantity) {
                    missing.append("sale \(sale.id) × \(sale.quantity): \(response.status) \(json.map { "\($0)" }?.prefix(300) ?? "")")
                }
            }
            #expect(missing.isEmpty, "acknowledged before the backup, not in the restored database:\n\(missing.prefix(20).joined(separator: "\n"))")
            let restoredSales = try await TestDatabase.withClient(engine, config: try AppConfig(values: ["STOCKROOM_DATABASE_URL": restored])) {
                database in
                try await database.read { try await $0.raw("SELECT id FROM sales").all(decodingColumn: "id", as: Int64.self) }
            }
            #expect(Set(restoredSales).isSubset(of: Set(sold.map(\.id))), "the restored database holds only sales the server acknowledged")
            #expect(await copy.process.terminate() == 0)
            print(
                """
                BackupRestore[\(engine)]: \(before.count) sales acknowledged before the backup began, \(duringBackup) while it ran, \
                \(sold.count) in all; the restored database holds \(restoredSales.count), every one of the \(before.count) among them
                """)
            try? FileManager.default.removeItem(at: work)
            for node in nodes { try? FileManager.default.removeItem(at: node.directory) }
        } catch {
            for node in nodes { await node.process.terminate() }
            print(nodes.logs)
            throw error
        }
    }

    @Test("README's PostgreSQL commands never put Stockroom's URL, with its password, on a command line")
    func postgresPasswordsStayOffCommandLines() throws {
        for marker in ["pg_dump", "pg_restore"] {
            let script = try Readme.script(section: "Back up and restore", containing: marker)
            for line in script.split(separator: "\n") where line.contains("pg_") || line.contains("createdb") {
                #expect(!line.contains("STOCKROOM_DATABASE_URL"), "\(line)")
            }
        }
    }

    // MARK: helpers shared by the suite's tests

    static func directory(_ name: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appending(path: "stockroom-\(name)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    static func environment(_ url: String, _ extra: [String: String] = [:]) -> [String: String] {
        [
            "STOCKROOM_DATABASE_URL": url, "STOCKROOM_BCRYPT_COST": "4", "STOCKROOM_ADMIN_PASSWORD": TestDatabase.ownerPassword,
            "STOCKROOM_LOG_LEVEL": "warning",
        ].merging(extra) { _, given in given }
    }

    /// A product with stock for any stream of sales; answers its id.
    static func createProduct(_ node: StockroomNode, owner: String) async throws -> Int64 {
        let response = try await node.request(
            .post, "/api/products", cookie: owner,
            json: """
                {"barcode": "TEA", "name": "Tea", "quantity": 1000000, "min_quantity": 0, "price": 2.5, "cost": 1}
                """)
        let text = response.body.map { String(buffer: $0) } ?? ""
        guard response.status == .created, case .int(let id)? = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))["id"] else {
            throw ClusterError("creating a product: \(response.status) \(text)")
        }
        return id
    }

    /// Sells `quantity` of `product` once; answers the sale's id.
    static func sell(_ node: StockroomNode, owner: String, product: Int64, quantity: Int = 1) async throws -> Int64 {
        let response = try await node.request(
            .post, "/api/sales/bulk", cookie: owner, json: #"{"items": [{"item_id": \#(product), "quantity": \#(quantity)}]}"#)
        let text = response.body.map { String(buffer: $0) } ?? ""
        guard response.status == .created, case .int(let id)? = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))["sale_id"] else {
            throw ClusterError("a sale: \(response.status) \(text)")
        }
        return id
    }

    static func onlyFile(in directory: URL, suffix: String) throws -> URL {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(suffix) && !$0.hasPrefix(".") }
        guard names.count == 1 else { throw ClusterError("expected one *\(suffix) in \(directory.path), found \(names)") }
        return directory.appending(path: names[0])
    }
}
