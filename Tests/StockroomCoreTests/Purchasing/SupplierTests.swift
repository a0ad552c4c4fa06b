import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import StockroomCore
@testable import StockroomDomain

@Suite("Suppliers")
struct SupplierTests {
    @Test("owners and admins keep the company's suppliers: create, read, update, list, names unique, fields checked, vendors refused")
    func suppliers() async throws {
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            let admin = try await client.signIn(world.adminA1)
            let vendor = try await client.signIn(world.vendorA1)
            let created = try await client.call(
                .post, "/api/suppliers", as: admin,
                json:
                    #"{"name": " Distribuidora Norte ", "contact": "Ana", "email": "ventas@norte.example", "phone": "+54 11 5555", "tax_id": "30-1"}"#
            )
            #expect(created.status == .created, "\(created.text)")
            let supplier = try created.json()
            #expect(
                Set(supplier.keys) == ["id", "name", "contact", "email", "phone", "tax_id", "notes", "is_active", "created_at", "updated_at"])
            #expect(supplier["name"] == .string("Distribuidora Norte") && supplier["tax_id"] == .string("30-1"))
            #expect(supplier["is_active"] == .bool(true) && supplier["notes"] == .string(""))
            let id = try #require(supplier["id"]?.int)

            // the same name in another case is taken; a bad email, a missing name, an overlong note are 400 naming the field
            let duplicate = try await client.call(.post, "/api/suppliers", as: owner, json: #"{"name": "DISTRIBUIDORA NORTE"}"#)
            #expect(try duplicate.status == .conflict && (duplicate.json()["code"]) == .string("duplicate_supplier"))
            for (body, field) in [
                (#"{"name": "X", "email": "not-an-email"}"#, "email"), (#"{"contact": "Ana"}"#, "name"),
                (#"{"name": "X", "notes": "\#(String(repeating: "n", count: 1001))"}"#, "notes"), (#"{"name": ""}"#, "name"),
            ] {
                let refused = try await client.call(.post, "/api/suppliers", as: owner, json: body)
                #expect(try refused.status == .badRequest && (refused.json()["field"]) == .string(field), "\(body): \(refused.text)")
            }

            // a partial update, the list with its filters, one supplier, another company's is not found
            let updated = try await client.call(.put, "/api/suppliers/\(id)", as: owner, json: #"{"phone": "555-0101", "is_active": false}"#)
            #expect(try updated.status == .ok && (updated.json()["phone"]) == .string("555-0101"))
            #expect(try updated.json()["contact"] == .string("Ana") && updated.json()["is_active"] == .bool(false))
            _ = try await client.createSupplier(as: owner, name: "Lácteos del Sur")
            let all = try await client.call(.get, "/api/suppliers", as: owner).json()
            #expect(all["total"] == .int(2) && all["page"] == .int(1) && all["limit"] == .int(50))
            #expect(all["data"]?.array.map { $0["name"] } == [.string("Distribuidora Norte"), .string("Lácteos del Sur")])
            let active = try await client.call(.get, "/api/suppliers?active=true", as: owner).json()
            #expect(active["data"]?.array.map { $0["name"] } == [.string("Lácteos del Sur")])
            let searched = try await client.call(.get, "/api/suppliers?search=norte", as: owner).json()
            #expect(searched["total"] == .int(1))
            #expect(try await client.call(.get, "/api/suppliers?active=maybe", as: owner).status == .badRequest)
            #expect(try await client.call(.get, "/api/suppliers/\(id)", as: admin).json()["id"] == .int(id))
            let ownerB = try await client.signIn(world.ownerB)
            #expect(try await client.call(.get, "/api/suppliers/\(id)", as: ownerB).status == .notFound)
            #expect(try await client.call(.put, "/api/suppliers/\(id)", as: ownerB, json: #"{"name": "Mine"}"#).status == .notFound)
            #expect(try await client.call(.get, "/api/suppliers", as: ownerB).json()["total"] == .int(0))
            #expect(try await client.call(.get, "/api/suppliers", as: vendor).status == .forbidden)
            #expect(try await client.call(.post, "/api/suppliers", as: vendor, json: #"{"name": "V"}"#).status == .forbidden)
            #expect(try await client.call(.get, "/api/suppliers", as: nil).status == .unauthorized)
            let audit = try await client.call(.get, "/api/entity/supplier/\(id)", as: owner)
            #expect(audit.text.contains("supplier_created") && audit.text.contains("supplier_updated"), "\(audit.text)")
        }
    }

    @Test("a product lists its suppliers with their code and last cost; unlisting one, and another company's, answered as such")
    func productSuppliers() async throws {
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            let product = try await client.createProduct(as: owner, barcode: "PS-1", name: "Yerba 1kg", quantity: 5)
            let norte = try await client.createSupplier(as: owner, name: "Norte")
            let sur = try await client.createSupplier(as: owner, name: "Sur")
            let linked = try await client.call(
                .put, "/api/products/\(product)/suppliers/\(sur)", as: owner, json: #"{"supplier_code": "YB-1000", "last_cost": 4.35}"#)
            #expect(linked.status == .ok, "\(linked.text)")
            #expect(
                try linked.json() == [
                    "product_id": .int(product), "supplier_id": .int(sur), "supplier_name": .string("Sur"), "supplier_code": .string("YB-1000"),
                    "last_cost": .double(4.35), "updated_at": linked.json()["updated_at"]!,
                ])
            _ = try await client.call(.put, "/api/products/\(product)/suppliers/\(norte)", as: owner, json: "{}")
            // a later PUT with only the code keeps the last cost
            _ = try await client.call(.put, "/api/products/\(product)/suppliers/\(sur)", as: owner, json: #"{"supplier_code": "YB-1001"}"#)
            let listed = try await client.call(.get, "/api/products/\(product)/suppliers", as: owner).jsonArray()
            #expect(listed.map { $0["supplier_name"] } == [.string("Norte"), .string("Sur")])
            #expect(listed[0]["last_cost"] == .null && listed[1]["last_cost"] == .double(4.35) && listed[1]["supplier_code"] == .string("YB-1001"))
            #expect(
                try await client.call(.put, "/api/products/\(product)/suppliers/\(sur)", as: owner, json: #"{"last_cost": 1.234}"#).status
                    == .badRequest)
            #expect(try await client.call(.delete, "/api/products/\(product)/suppliers/\(norte)", as: owner).status == .ok)
            #expect(try await client.call(.delete, "/api/products/\(product)/suppliers/\(norte)", as: owner).status == .notFound)
            #expect(try await client.call(.get, "/api/products/\(product)/suppliers", as: owner).jsonArray().count == 1)
            let ownerB = try await client.signIn(world.ownerB)
            let theirs = try await client.createSupplier(as: ownerB, name: "Theirs")
            #expect(try await client.call(.put, "/api/products/\(product)/suppliers/\(theirs)", as: owner, json: "{}").status == .notFound)
            #expect(try await client.call(.get, "/api/products/\(product)/suppliers", as: ownerB).status == .notFound)
        }
    }
}
