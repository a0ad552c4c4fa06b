import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// Every endpoint of Credith's store inventory (seed 002), with its documented shapes, roles and codes.
@Suite("Store inventory (Credith)")
struct StoreInventoryTests {
    @Test("each seed-002 endpoint answers the documented shape, role rule and status codes")
    func endpoints() async throws {
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            let admin = try await client.signIn(world.adminA1)
            let vendor = try await client.signIn(world.vendorA1)
            let cola = try await client.createProduct(as: owner, barcode: "7501", name: "Coca Cola 3L", quantity: 120, price: 45, cost: 35)
            let water = try await client.createProduct(as: owner, barcode: "7502", name: "Agua 500ml", quantity: 3, price: 10)

            // GET /api/store-inventory — OWNER only, {total, data} with product and store embedded
            let all = try await client.call(.get, "/api/store-inventory", as: owner).json()
            #expect(all["total"] == .int(2))
            let first = try #require(all["data"]?.array.first { $0["productId"] == .int(cola) })
            #expect(Set(first.objectKeys) == ["productId", "storeId", "inStock", "isActive", "product", "store"])
            #expect(first["product"]?["sellPrice"] == .int(45) && first["product"]?["name"] == .string("Coca Cola 3L"))
            #expect(first["store"]?["storeId"] == .int(world.storeA1) && first["store"]?["isActive"] == .bool(true))
            // the seed's store object always carries its address, null when the store has none
            #expect(first["store"]?["address"] == .null, "\(String(describing: first["store"]))")
            let window = try await client.call(.get, "/api/store-inventory?limit=1&offset=1", as: owner).json()
            #expect(window["total"] == .int(2) && window["data"]?.array.count == 1)
            for session in [admin, vendor] {
                #expect(try await client.call(.get, "/api/store-inventory", as: session).status == .forbidden)
            }

            // GET /api/store-inventory/store/:storeId — OWNER; 404 for an unknown store
            let storeList = try await client.call(.get, "/api/store-inventory/store/\(world.storeA1)", as: owner).json()
            #expect(storeList["total"] == .int(2))
            #expect(try await client.call(.get, "/api/store-inventory/store/\(world.storeB)", as: owner).status == .notFound)
            #expect(try await client.call(.get, "/api/store-inventory/store/\(world.storeA1)", as: admin).status == .forbidden)

            // GET /api/store-inventory/:storeId/:productId — OWNER; the four fields; 404 when never registered there
            let record = try await client.call(.get, "/api/store-inventory/\(world.storeA1)/\(cola)", as: owner).json()
            #expect(record == ["productId": .int(cola), "storeId": .int(world.storeA1), "inStock": .int(120), "isActive": .bool(true)])
            #expect(try await client.call(.get, "/api/store-inventory/\(world.storeA2)/\(cola)", as: owner).status == .notFound)
            #expect(try await client.call(.get, "/api/store-inventory/\(world.storeA1)/999999", as: owner).status == .notFound)

            // GET /api/store-inventory/my-store — anyone; product with buyPrice and minGainPercentage
            let mine = try await client.call(.get, "/api/store-inventory/my-store", as: vendor).json()
            #expect(mine["total"] == .int(2))
            let mineCola = try #require(mine["data"]?.array.first { $0["productId"] == .int(cola) })
            #expect(mineCola["product"]?["buyPrice"] == .int(35) && mineCola["product"]?["minGainPercentage"] == .int(28))
            let adminsStore = try await client.call(.get, "/api/store-inventory/my-store", as: try await client.signIn(world.adminA2)).json()
            #expect(adminsStore["total"] == .int(0))

            // GET /api/store-inventory/low-stock — OWNER, ADMIN; threshold default 5, 0 valid, negative 400
            let low = try await client.call(.get, "/api/store-inventory/low-stock", as: admin).json()
            #expect(low["data"]?.array.map { $0["productId"] } == [.int(water)])
            #expect(try await client.call(.get, "/api/store-inventory/low-stock?threshold=0", as: owner).json()["data"]?.array.isEmpty == true)
            #expect(try await client.call(.get, "/api/store-inventory/low-stock?threshold=200", as: owner).json()["data"]?.array.count == 2)
            #expect(try await client.call(.get, "/api/store-inventory/low-stock?threshold=-1", as: owner).status == .badRequest)
            #expect(try await client.call(.get, "/api/store-inventory/low-stock", as: vendor).status == .forbidden)

            // PATCH /api/store-inventory/stock — OWNER, ADMIN; sets, not adds; >= 0; 404 unknown product or store
            let set = try await client.call(
                .patch, "/api/store-inventory/stock", as: admin,
                json: #"{"productId": \#(cola), "storeId": \#(world.storeA1), "stock": 150}"#)
            #expect(try set.status == .ok && set.json()["inStock"] == .int(150))
            let negative = try await client.call(
                .patch, "/api/store-inventory/stock", as: owner,
                json: #"{"productId": \#(cola), "storeId": \#(world.storeA1), "stock": -1}"#)
            #expect(try negative.status == .badRequest && negative.json()["field"] == .string("stock"))
            let missingField = try await client.call(.patch, "/api/store-inventory/stock", as: owner, json: #"{"productId": \#(cola), "stock": 1}"#)
            #expect(try missingField.status == .badRequest && missingField.json()["field"] == .string("storeId"))
            #expect(
                try await client.call(
                    .patch, "/api/store-inventory/stock", as: owner,
                    json: #"{"productId": 999999, "storeId": \#(world.storeA1), "stock": 1}"#
                ).status == .notFound)
            #expect(
                try await client.call(
                    .patch, "/api/store-inventory/stock", as: owner,
                    json: #"{"productId": \#(cola), "storeId": \#(world.storeB), "stock": 1}"#
                ).status == .notFound)
            #expect(
                try await client.call(
                    .patch, "/api/store-inventory/stock", as: admin,
                    json: #"{"productId": \#(cola), "storeId": \#(world.storeA2), "stock": 1}"#
                ).status == .forbidden)
            #expect(
                try await client.call(
                    .patch, "/api/store-inventory/stock", as: vendor,
                    json: #"{"productId": \#(cola), "storeId": \#(world.storeA1), "stock": 1}"#
                ).status == .forbidden)

            // POST /api/store-inventory/transfer — moves units; destination row created; 400s as documented
            let transfer = try await client.call(
                .post, "/api/store-inventory/transfer", as: owner,
                json: """
                    {"productId": \(cola), "fromStoreId": \(world.storeA1), "toStoreId": \(world.storeA2), "quantity": 30}
                    """)
            #expect(try transfer.status == .ok && transfer.json()["message"] == .string("Transferencia exitosa"))
            #expect(try await world.stock(store: world.storeA1, product: cola) == 120)
            #expect(try await world.stock(store: world.storeA2, product: cola) == 30)
            let cases: [(String, String)] = [
                (#""fromStoreId": \#(world.storeA1), "toStoreId": \#(world.storeA1), "quantity": 1"#, "same_store"),
                (#""fromStoreId": \#(world.storeA1), "toStoreId": \#(world.storeA2), "quantity": 0"#, "invalid_field"),
                (#""fromStoreId": \#(world.storeA1), "toStoreId": \#(world.storeA2), "quantity": 121"#, "insufficient_stock"),
            ]
            for (fields, code) in cases {
                let response = try await client.call(.post, "/api/store-inventory/transfer", as: owner, json: #"{"productId": \#(cola), \#(fields)}"#)
                #expect(try response.status == .badRequest && response.json()["code"] == .string(code), "\(fields) → \(response.text)")
            }
            let short = try await client.call(
                .post, "/api/store-inventory/transfer", as: owner,
                json: """
                    {"productId": \(cola), "fromStoreId": \(world.storeA1), "toStoreId": \(world.storeA2), "quantity": 121}
                    """
            ).json()
            #expect(short["requested"] == .int(121) && short["available"] == .int(120) && short["product_id"] == .int(cola))
            let otherCompany = try await client.call(
                .post, "/api/store-inventory/transfer", as: owner,
                json: """
                    {"productId": \(cola), "fromStoreId": \(world.storeA1), "toStoreId": \(world.storeB), "quantity": 1}
                    """)
            #expect(otherCompany.status == .notFound)
            let adminOut = try await client.call(
                .post, "/api/store-inventory/transfer", as: admin,
                json: """
                    {"productId": \(cola), "fromStoreId": \(world.storeA2), "toStoreId": \(world.storeA1), "quantity": 1}
                    """)
            #expect(adminOut.status == .forbidden, "admins transfer only out of their own store")
            #expect(
                try await client.call(
                    .post, "/api/store-inventory/transfer", as: vendor,
                    json: """
                        {"productId": \(cola), "fromStoreId": \(world.storeA1), "toStoreId": \(world.storeA2), "quantity": 1}
                        """
                ).status == .forbidden)
            _ = try await client.call(.put, "/api/stores/deactivate/\(world.storeA2)", as: owner)
            let closed = try await client.call(
                .post, "/api/store-inventory/transfer", as: owner,
                json: """
                    {"productId": \(cola), "fromStoreId": \(world.storeA1), "toStoreId": \(world.storeA2), "quantity": 1}
                    """)
            #expect(try closed.status == .badRequest && closed.json()["code"] == .string("store_inactive"))

            // the ledger: opening, adjustment, transfer out and in — and it balances
            let movements = try await client.call(.get, "/api/stock-movements?product_id=\(cola)", as: owner).json()
            #expect(
                movements["data"]?.array.compactMap { $0["kind"] } == [
                    .string("transfer_in"), .string("transfer_out"), .string("adjustment"), .string("opening"),
                ])
            let problems = try await world.ledgerProblems()
            #expect(problems.mismatches.isEmpty && problems.negative == 0)
        }
    }
}

extension JSONValue {
    var objectKeys: [String] {
        if case .object(let fields) = self { return Array(fields.keys) }
        return []
    }
}
