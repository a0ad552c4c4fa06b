import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import StockroomCore
@testable import StockroomDomain

@Suite("Health")
struct HealthTests {
    @Test("health answers Ok and readiness checks the database and names the version", arguments: Engine.allCases)
    func health(engine: Engine) async throws {
        try await TestApp.build(engine).test(.router) { client in
            let health = try await client.execute(uri: "/api/health", method: .get)
            #expect(health.status == .ok)
            #expect(try health.json() == ["status": .string("Ok")])
            let ready = try await client.execute(uri: "/api/health/ready", method: .get)
            #expect(ready.status == .ok)
            #expect(
                try ready.json() == [
                    "status": .string("Ok"), "database": .string(engine.rawValue), "version": .string(StockroomVersion.current),
                ])
        }
    }

    @Test("the server answers over a real socket")
    func liveSocket() async throws {
        try await TestApp.build(environment: ["STOCKROOM_PORT": "0"]).test(.live) { client in
            let response = try await client.execute(uri: "/api/health", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json; charset=utf-8")
            #expect(response.headers[.requestID] != nil)
        }
    }
}
