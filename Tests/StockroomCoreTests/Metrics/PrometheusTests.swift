import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// `/metrics`: what it counts, and who may read it.
@Suite("Prometheus metrics")
struct PrometheusTests {
    @Test("requests by route and status, sales, stock writes, open streams and the database pool", arguments: Engine.allCases)
    func counts(engine: Engine) async throws {
        try await ShopWorld.run(engine, live: true) { client, world, _ in
            let port = try #require(client.port)
            let owner = try await client.signIn(world.ownerA)
            let vendor = try await client.signIn(world.vendorA1)
            _ = try await client.createProduct(as: owner, barcode: "METER", name: "Meter", quantity: 5)
            #expect(try await client.call(.post, "/api/sales", as: vendor, json: #"{"barcode": "METER", "quantity": 2}"#).status == .created)
            #expect(try await client.call(.post, "/api/sales", as: vendor, json: #"{"barcode": "METER", "quantity": 9}"#).status == .conflict)
            #expect(try await client.call(.get, "/api/products/123456", as: owner).status == .notFound)
            let stream = try SSEClient(port: port, path: "/api/notifications/stream", cookie: "\(Authenticator.cookieName)=\(vendor.cookie)")
            #expect(await stream.events.nextEvent()?.name == "init")
            defer { stream.close() }

            let response = try await client.call(.get, "/metrics", as: nil)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = response.text
            for line in [
                #"stockroom_http_requests_total{route="/api/sales",method="POST",status="201"} 1"#,
                #"stockroom_http_requests_total{route="/api/sales",method="POST",status="409"} 1"#,
                #"stockroom_http_requests_total{route="/api/products/{id}",method="GET",status="404"} 1"#,
                #"stockroom_sales_total{outcome="completed"} 1"#,
                #"stockroom_sales_total{outcome="refused"} 1"#,
                #"stockroom_stock_writes_total{kind="opening"} 1"#,
                #"stockroom_stock_writes_total{kind="sale"} 1"#,
                "stockroom_sse_open_streams 1",
                #"stockroom_db_pool_size{engine="\#(engine.rawValue)",work="transaction"} \#(engine == .sqlite ? 1 : TestDatabase.postgresPoolSize)"#,
            ] {
                #expect(text.contains(line + "\n"), "\(line)")
            }
            #expect(text.contains(#"stockroom_http_request_duration_seconds_count{route="/api/sales",method="POST"} 2"#))
            #expect(text.contains("# TYPE stockroom_db_completed_total counter"))
            // every sample line is `name{labels} number`
            // every sample line is `name{label="value",…} number`, and each family is declared once
            let sample =
                #/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*"(,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*")*\})? -?[0-9.e+Inf]+$/#
            for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                #expect(line.wholeMatch(of: sample) != nil, "\(line)")
            }
            let types = text.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }.map { $0.split(separator: " ")[2] }
            #expect(Set(types).count == types.count, "no family declared twice")
        }
    }

    @Test("without a token only this machine may read; with one, only a scraper that sends it")
    func access() async throws {
        try await ShopWorld.run(.sqlite, live: true) { client, _, _ in
            #expect(try await client.call(.get, "/metrics", as: nil).status == .ok, "loopback")
            // a proxy on this machine relays from anywhere, trusted or not
            for header in ["X-Forwarded-For", "Forwarded", "X-Real-IP"] {
                let relayed = try await client.call(.get, "/metrics", as: nil, headers: [HTTPField.Name(header)!: "203.0.113.9"])
                #expect(relayed.status == .forbidden && relayed.text.contains("STOCKROOM_METRICS_TOKEN"), "\(header)")
            }
        }
        try await ShopWorld.run(.sqlite) { client, _ in
            let unknown = try await client.call(.get, "/metrics", as: nil)
            #expect(unknown.status == .forbidden, "no socket address: not known to be local")
        }
        let token = "scrape-token-0123456789"
        try await ShopWorld.run(.sqlite, environment: ["STOCKROOM_METRICS_TOKEN": token], live: true) { client, _, _ in
            #expect(try await client.call(.get, "/metrics", as: nil).status == .unauthorized)
            #expect(
                try await client.call(.get, "/metrics", as: nil, headers: [.authorization: "Bearer wrong-token-0123456789"]).status == .unauthorized)
            let scraped = try await client.call(.get, "/metrics", as: nil, headers: [.authorization: "Bearer \(token)"])
            #expect(scraped.status == .ok && scraped.text.contains("stockroom_sse_open_streams 0"))
        }
    }
}
