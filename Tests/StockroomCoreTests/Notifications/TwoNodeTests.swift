import ChildProcesses
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@testable import StockroomCore
@testable import StockroomDomain

// A hang here (a relay that never reconnected kept a node from shutting down) fails the run instead of holding CI.
@Suite("Two nodes on one PostgreSQL", .timeLimit(.minutes(5)))
struct TwoNodeTests {
    @Test("a sale on node A reaches a stream on node B, and a stream opened on A ends the user's stream on B")
    func crossNode() async throws {
        try await withTwoNodes(["STOCKROOM_SSE_HEARTBEAT_SECONDS": "60"]) { clientA, clientB, world, nodeA, nodeB in
            let portA = try #require(clientA.port)
            let portB = try #require(clientB.port)
            let owner = try await clientA.signIn(world.ownerA)
            let vendor = try await clientA.signIn(world.vendorA1)
            _ = try await clientA.createProduct(as: owner, barcode: "NODE", name: "Cross node", quantity: 3, minQuantity: 2)

            let onB = try SSEClient(port: portB, path: "/api/notifications/stream", cookie: "\(Authenticator.cookieName)=\(vendor.cookie)")
            #expect(await onB.events.nextEvent()?.name == "init", "a session made on A works on B")
            #expect(try await clientA.call(.post, "/api/sales", as: vendor, json: #"{"barcode": "NODE", "quantity": 2}"#).status == .created)
            var sawLowStock = false
            while !sawLowStock, let event = await onB.events.nextEvent() {
                sawLowStock = event.name == "update" && event.data.contains("Low stock")
            }
            #expect(sawLowStock, "node B's stream got the update for node A's sale")

            onB.close()

            // one stream per user across nodes: a fresh stream on B (kept open by its client) ends when A opens one
            let streamsB = nodeB.streams
            for _ in 0..<100 where streamsB.openCount > 0 { try await Task.sleep(for: .milliseconds(50)) }
            let again = try SSEClient(
                port: portB, path: "/api/notifications/stream", cookie: "\(Authenticator.cookieName)=\(vendor.cookie)",
                giveUpAfter: .seconds(60))
            #expect(await again.events.nextEvent()?.name == "init")
            #expect(streamsB.openCount == 1)

            // the listening connections drop: the relays reconnect, and B's stream is refreshed (events may be lost)
            _ = try await world.database.read {
                try await $0.raw(
                    """
                    SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE (query LIKE 'LISTEN%' OR query LIKE '%stockroom relay listening%') AND datname = current_database() AND pid <> pg_backend_pid()
                    """
                ).all()
            }
            #expect(await again.events.nextEvent()?.name == "update", "a resync after reconnecting")
            try await waitForListeners(world.database)

            let onA = try SSEClient(port: portA, path: "/api/notifications/stream", cookie: "\(Authenticator.cookieName)=\(vendor.cookie)")
            #expect(await onA.events.nextEvent()?.name == "init")
            for _ in 0..<400 where streamsB.openCount > 0 { try await Task.sleep(for: .milliseconds(50)) }
            #expect(streamsB.openCount == 0, "B ended its stream when A opened one")
            #expect(nodeA.streams.openCount == 1)
            for await _ in again.events {}
            again.close()
            onA.close()
        }
    }

    @Test("two stockroom processes on one database: a sale made through process A reaches a stream held by process B")
    func crossProcess() async throws {
        // setup: two `stockroom serve` processes started together on a fresh database, sharing nothing else
        let url = try await PostgresCluster.shared.makeDatabase()
        let environment = [
            "STOCKROOM_DATABASE_URL": url, "STOCKROOM_BCRYPT_COST": "4", "STOCKROOM_ADMIN_PASSWORD": TestDatabase.ownerPassword,
            "STOCKROOM_SSE_HEARTBEAT_SECONDS": "60", "STOCKROOM_LOG_LEVEL": "info",
        ]
        let run = try await StockroomNode.withNodes(2, environment: environment) { nodes in
            let (a, b) = (nodes[0], nodes[1])
            // both relays listen before anything is published: a NOTIFY sent earlier reaches nobody
            try await TestDatabase.withClient(.postgres, config: try AppConfig(values: ["STOCKROOM_DATABASE_URL": url])) {
                try await waitForListeners($0)
            }
            // the first start made the owner once, whichever process did it
            let owner = try await a.signIn("admin", TestDatabase.ownerPassword)
            let vendorAccount = #"{"username": "vendora1", "email": "vendora1@example.com", "password": "\#(ShopWorld.password)", "role": "vendor"}"#
            let created = try await a.request(.post, "/api/users", cookie: owner, json: vendorAccount)
            try #require(created.status == .created, "\(created.body.map { String(buffer: $0) } ?? "")")
            let product = #"{"barcode": "PROC", "name": "Cross process", "quantity": 3, "min_quantity": 2, "price": 10, "cost": 6}"#
            try #require(try await a.request(.post, "/api/products", cookie: owner, json: product).status == .created)
            let vendor = try await a.signIn("vendora1", ShopWorld.password)

            // act: the vendor's stream is held by B; the sale that takes the stock from 3 to 1, below its minimum of 2, is made through A
            let onB = try SSEClient(
                port: b.port, path: "/api/notifications/stream", cookie: "\(Authenticator.cookieName)=\(vendor)", giveUpAfter: .seconds(60))
            #expect(await onB.events.nextEvent()?.name == "init", "a session made through A works on B\n\(nodes.logs)")
            let sale = try await a.request(.post, "/api/sales", cookie: vendor, json: #"{"barcode": "PROC", "quantity": 2}"#)
            #expect(sale.status == .created)

            // check: B's stream gets the low-stock update although B never saw the sale
            var sawLowStock = false
            while !sawLowStock, let event = await onB.events.nextEvent() {
                sawLowStock = event.name == "update" && event.data.contains("Low stock")
            }
            #expect(sawLowStock, "process B's stream got the update for the sale made through process A\n\(nodes.logs)")
            onB.close()
        }
        // SIGTERM is a graceful shutdown: both exit 0
        #expect(run.exitStatuses == [0, 0], "\(run.logs)")
    }

    @Test("a session or token ended or changed on node A, or in the database itself, stops working on node B, which kept it")
    func revocationCrossesNodes() async throws {
        try await withTwoNodes { clientA, clientB, world, _, nodeB in
            let keptOnB = nodeB.database.credentials
            /// B forgets what it kept once the database's notice of a change arrives (a few milliseconds after
            /// the commit; waited for, not timed: timing belongs to the benchmarks).
            func forgottenOnB() async throws {
                for _ in 0..<200 where keptOnB.count > 0 { try await Task.sleep(for: .milliseconds(10)) }
                #expect(keptOnB.count == 0, "node B forgot what it kept")
            }
            func me(_ client: some TestClientProtocol, bearer: String) async throws -> HTTPResponse.Status {
                try await client.execute(uri: "/api/me", method: .get, headers: [.authorization: "Bearer \(bearer)"]).status
            }

            // a token made on A, used on B (and so kept there), deleted on A
            let vendor = try await clientA.signIn(world.vendorA1)
            let created = try await clientA.call(.post, "/api/tokens", as: vendor, json: #"{"name": "till"}"#).json()
            guard case .string(let secret)? = created["token"], case .int(let tokenID)? = created["id"] else { throw ClusterError("\(created)") }
            #expect(try await me(clientB, bearer: secret) == .ok)
            #expect(try await me(clientB, bearer: secret) == .ok)
            #expect(keptOnB.count == 1, "B kept the token")
            #expect(try await clientA.call(.delete, "/api/tokens/\(tokenID)", as: vendor).status == .ok)
            try await forgottenOnB()
            #expect(try await me(clientB, bearer: secret) == .unauthorized)

            // a session used on B, its account deactivated on A
            let owner = try await clientA.signIn(world.ownerA)
            #expect(try await clientB.call(.get, "/api/me", as: vendor).status == .ok)
            #expect(keptOnB.count >= 1)
            #expect(try await clientA.call(.put, "/api/users/\(world.vendorA1.id)", as: owner, json: #"{"status": 0}"#).status == .ok)
            try await forgottenOnB()
            #expect(try await clientB.call(.get, "/api/me", as: vendor).status == .unauthorized)

            // an account changed in the database by hand (or by another program): B hears of it too
            let admin = try await clientA.signIn(world.adminA1)
            #expect(try await clientB.call(.get, "/api/me", as: admin).status == .ok)
            #expect(keptOnB.count >= 1)
            try await world.database.withTransaction {
                try await $0.db.raw("UPDATE users SET role = 'vendor' WHERE id = \(bind: world.adminA1.id)").run()
            }
            try await forgottenOnB()
            #expect(try await clientB.call(.get, "/api/me", as: admin).json()["role"] == .string("vendor"))

            // B's listening connection drops: B keeps nothing until it listens again
            _ = try await world.database.read {
                try await $0.raw(
                    """
                    SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE (query LIKE 'LISTEN%' OR query LIKE '%stockroom relay listening%') AND datname = current_database() AND pid <> pg_backend_pid()
                    """
                ).all()
            }
            try await forgottenOnB()
            try await waitForListeners(world.database)
            #expect(try await clientB.call(.get, "/api/me", as: owner).status == .ok)
            #expect(keptOnB.count == 1, "kept again once B listens")
        }
    }

    /// Two independent applications (own hubs, pools, relays and caches) sharing only a PostgreSQL database, both on
    /// real sockets, with the two-company fixture made through A and both relays listening.
    func withTwoNodes(
        _ environment: [String: String] = [:],
        _ body:
            @escaping @Sendable (
                _ clientA: any TestClientProtocol, _ clientB: any TestClientProtocol, ShopWorld, _ nodeA: AppDependencies, _ nodeB: AppDependencies
            ) async throws -> Void
    ) async throws {
        let config = try await TestDatabase.config(.postgres, environment.merging(["STOCKROOM_PORT": "0"]) { _, new in new })
        let boxA = DependencyBox()
        let boxB = DependencyBox()
        let nodeA = try await buildApplication(config: config) { _, dependencies in boxA.value = dependencies }
        let nodeB = try await buildApplication(config: config) { _, dependencies in boxB.value = dependencies }
        try await nodeA.test(.live) { clientA in
            try await nodeB.test(.live) { clientB in
                let a = try #require(boxA.value)
                let b = try #require(boxB.value)
                let world = try await ShopWorld.create(a)
                try await waitForListeners(world.database)
                try await body(clientA, clientB, world, a, b)
            }
        }
    }

    /// Waits until both nodes' relays hold an idle LISTEN connection on this test's database (other tests run
    /// their own relays on the same cluster at the same time).
    func waitForListeners(_ database: any DatabaseClient) async throws {
        for _ in 0..<400 {
            let listening = try await database.read {
                try await $0.raw(
                    """
                    SELECT COUNT(*) AS n FROM pg_stat_activity
                    WHERE (query LIKE 'LISTEN%' OR query LIKE '%stockroom relay listening%') AND state = 'idle' AND datname = current_database() AND pid <> pg_backend_pid()
                    """
                ).first(decodingColumn: "n", as: Int.self)
            }
            if (listening ?? 0) >= 2 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        // Thrown, not recorded: the rest of the test would wait on events that cannot come. What the cluster held says why.
        let connections = try await database.read {
            try await $0.raw("SELECT COUNT(*) AS n FROM pg_stat_activity").first(decodingColumn: "n", as: Int.self)
        }
        throw ClusterError("the relays did not listen within 20 s; the cluster held \(connections ?? -1) connections")
    }
}
