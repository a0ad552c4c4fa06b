import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// A user of company B can neither read, change nor detect anything of company A.
@Suite("Tenancy")
struct TenancyTests {
    @Test("company B's owner sees only company B, and A's ids look exactly like ids that do not exist", arguments: Engine.allCases)
    func isolation(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let ownerB = try await client.signIn(world.ownerB)
            // lists hold only B's rows
            let users = try await client.call(.get, "/api/users?limit=250", as: ownerB).json()
            #expect(Set(ids(users["data"], "id")) == [world.ownerB.id, world.vendorB.id])
            let stores = try await client.call(.get, "/api/stores", as: ownerB).json()
            #expect(ids(stores["data"], "storeId") == [world.storeB])
            let companies = try await client.call(.get, "/api/companies", as: ownerB).json()
            #expect(ids(companies["data"], "companyId") == [world.companyB])
            let audit = try await client.call(.get, "/api/all?limit=250", as: ownerB).json()
            let aUsers = Set([world.ownerA, world.adminA1, world.vendorA1, world.adminA2, world.vendorA2].map(\.id))
            #expect(ids(audit["data"], "user_id").allSatisfy { !aUsers.contains($0) })
            #expect(try await client.call(.get, "/api/applications", as: ownerB).json()["total"] == .int(0))

            // reads and writes aimed at A answer exactly what a missing id answers, and change nothing
            let probes: [(HTTPRequest.Method, String, String?)] = [
                (.get, "/api/users/%@", nil), (.put, "/api/users/%@", #"{"email": "stolen@example.com"}"#),
                (.delete, "/api/users/%@", nil), (.post, "/api/users/%@/password", #"{"password": "password-999"}"#),
                (.post, "/api/applications/%@/approve", nil), (.get, "/api/user/%@", nil),
            ]
            for (method, template, body) in probes {
                let missing = try await client.call(method, template.replacingOccurrences(of: "%@", with: "999999"), as: ownerB, json: body)
                for target in [world.ownerA.id, world.vendorA2.id] {
                    let response = try await client.call(method, template.replacingOccurrences(of: "%@", with: "\(target)"), as: ownerB, json: body)
                    #expect(response.status == .notFound, "\(method) \(template) → \(response.text)")
                    #expect(response.text == missing.text, "\(method) \(template) tells A's ids apart from missing ones")
                }
            }
            for (method, template, body) in [
                (HTTPRequest.Method.get, "/api/stores/%@", nil as String?),
                (.put, "/api/stores/%@", #"{"name": "Taken"}"#), (.put, "/api/stores/deactivate/%@", nil),
            ] {
                let missing = try await client.call(method, template.replacingOccurrences(of: "%@", with: "999999"), as: ownerB, json: body)
                let response = try await client.call(
                    method, template.replacingOccurrences(of: "%@", with: "\(world.storeA1)"), as: ownerB, json: body)
                #expect(response.status == .notFound && response.text == missing.text, "\(method) \(template)")
            }
            let entity = try await client.call(.get, "/api/entity/user/\(world.vendorA1.id)", as: ownerB).json()
            #expect(entity["total"] == .int(0), "A's history is invisible to B")

            // nothing of A changed
            let ownerA = try await client.signIn(world.ownerA)
            let vendor = try await client.call(.get, "/api/users/\(world.vendorA2.id)", as: ownerA).json()
            #expect(vendor["email"] == .string("vendora2@example.com") && vendor["status"] == .string("active"))
            let store = try await client.call(.get, "/api/stores/\(world.storeA1)", as: ownerA).json()
            #expect(store["name"] == .string("Main store") && store["isActive"] == .bool(true))
            _ = try await client.signIn(world.vendorA2)
        }
    }

    func ids(_ list: JSONValue?, _ key: String) -> [Int64] {
        guard case .array(let items)? = list else { return [] }
        return items.compactMap { item in
            guard case .object(let fields) = item, case .int(let id)? = fields[key] else { return nil }
            return id
        }
    }
}
