import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@testable import StockroomCore
@testable import StockroomDomain

@Suite("Audit log")
struct AuditTests {
    @Test("changes are recorded with old and new values, and the filters match exactly", arguments: Engine.allCases)
    func recordsAndFilters(engine: Engine) async throws {
        try await ShopWorld.run(engine, environment: ["STOCKROOM_TIMEZONE": "America/Mexico_City"]) { client, world in
            let owner = try await client.signIn(world.ownerA)
            _ = try await client.call(.put, "/api/users/\(world.vendorA1.id)", as: owner, json: #"{"email": "v1@example.com"}"#)

            let entity = try await client.call(.get, "/api/entity/user/\(world.vendorA1.id)?action=user_updated", as: owner).json()
            #expect(entity["total"] == .int(1) && entity["limit"] == .int(50) && entity["offset"] == .int(0))
            guard case .array(let rows)? = entity["data"], case .object(let record)? = rows.first else { throw ClusterError("\(entity)") }
            #expect(record["old_values"] == .object(["email": .string("vendora1@example.com")]))
            #expect(record["new_values"] == .object(["email": .string("v1@example.com")]))
            #expect(record["user_id"] == .int(world.ownerA.id) && record["username"] == .string("admin"))

            let logins = try await client.call(.get, "/api/all?action=login", as: owner).json()
            #expect(logins["total"] == .int(1))
            let byUser = try await client.call(.get, "/api/user/\(world.ownerA.id)?limit=1", as: owner).json()
            #expect(byUser["total"] == .int(2) && byUser["limit"] == .int(1))

            // day filters are business-time-zone days: move the update to 23:30 local on 2026-03-01 (05:30 UTC on the 2nd)
            let lateEvening = try Date("2026-03-02T05:30:00Z", strategy: .iso8601).unixMilliseconds
            try await world.database.withTransaction {
                try await $0.db.raw("UPDATE audit_log SET created_at = \(bind: lateEvening) WHERE action = 'user_updated'").run()
            }
            let onFirst = try await client.call(.get, "/api/all?action=user_updated&from=2026-03-01&to=2026-03-01", as: owner).json()
            #expect(onFirst["total"] == .int(1), "23:30 in Mexico City is still March 1st")
            let onSecond = try await client.call(.get, "/api/all?action=user_updated&from=2026-03-02&to=2026-03-02", as: owner).json()
            #expect(onSecond["total"] == .int(0))
            for bad in ["from=2026-02-30", "from=2026-13-01", "to=2026-00-10", "from=yesterday"] {
                let response = try await client.call(.get, "/api/all?\(bad)", as: owner)
                #expect(try response.status == .badRequest && response.json()["field"] == .string(String(bad.prefix(while: { $0 != "=" }))), "\(bad)")
            }
        }
    }
}
