import Foundation
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing

@testable import StockroomCore
@testable import StockroomDomain

@Suite("Ledger and stock events")
struct LedgerTests {
    @Test("the ledger check finds a level that was changed behind the ledger's back")
    func detectsTampering() async throws {
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            let product = try await client.createProduct(as: owner, barcode: "L-1", name: "Ledger", quantity: 7)
            #expect(try await world.ledgerProblems().mismatches.isEmpty)
            try await world.database.withTransaction {
                try await $0.db.raw("UPDATE stock_levels SET in_stock = 9 WHERE product_id = \(bind: product)").run()
            }
            let mismatches = try await world.ledgerProblems().mismatches
            #expect(mismatches == [LedgerRepository.Mismatch(storeID: world.storeA1, productID: product, inStock: 9, ledgerSum: 7)])
        }
    }

    @Test("the transit check finds a transfer line, or a transfer's movement of a product not on it, changed behind the ledger's back")
    func detectsTransitTampering() async throws {
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            let cola = try await client.createProduct(as: owner, barcode: "LT-1", name: "Cola", quantity: 7, storeID: world.storeA1)
            let chips = try await client.createProduct(as: owner, barcode: "LT-2", name: "Chips", quantity: 7, storeID: world.storeA1)
            for product in [cola, chips] {
                _ = try await client.call(
                    .patch, "/api/store-inventory/stock", as: owner, json: #"{"productId": \#(product), "storeId": \#(world.storeA2), "stock": 0}"#)
            }
            let sent = try await client.call(
                .post, "/api/transfers", as: owner,
                json: #"{"from_store_id": \#(world.storeA1), "to_store_id": \#(world.storeA2), "lines": [{"product_id": \#(cola), "quantity": 3}]}"#)
            #expect(sent.status == .created)
            #expect(try await world.ledgerProblems().transit.isEmpty)
            try await world.database.withTransaction { try await $0.db.raw("UPDATE transfer_lines SET received = 1").run() }
            #expect(try await world.ledgerProblems().transit.map(\.productID) == [cola])
            try await world.database.withTransaction {
                try await $0.db.raw("UPDATE transfer_lines SET received = 0").run()
                try await $0.db.raw("UPDATE stock_movements SET product_id = \(bind: chips) WHERE kind = 'transfer_out'").run()
            }
            let transit = try await world.ledgerProblems().transit
            #expect(transit.contains { $0.productID == chips && $0.description.contains("not on it") }, "\(transit)")
        }
    }

    @Test("stock events are published after commit, and a low-stock crossing once per dip")
    func lowStockOncePerDip() async throws {
        try await ShopWorld.run { client, world, dependencies in
            let owner = try await client.signIn(world.ownerA)
            let events = dependencies.events.subscribe()
            let product = try await client.createProduct(as: owner, barcode: "E-1", name: "Event", quantity: 10, minQuantity: 3)
            for stock in [2, 1, 5, 3, 2] {
                _ = try await client.call(
                    .patch, "/api/store-inventory/stock", as: owner,
                    json: #"{"productId": \#(product), "storeId": \#(world.storeA1), "stock": \#(stock)}"#)
            }
            // a refused transfer publishes nothing
            _ = try await client.call(
                .post, "/api/store-inventory/transfer", as: owner,
                json: #"{"productId": \#(product), "fromStoreId": \#(world.storeA1), "toStoreId": \#(world.storeA2), "quantity": 99}"#)
            var changes: [DomainEvent.StockChange] = []
            for await case .stockChanged(let change) in events {
                changes.append(change)
                if changes.count == 6 { break }
            }
            #expect(changes.map(\.stockAfter) == [10, 2, 1, 5, 3, 2])
            #expect(
                changes.map(\.crossedBelowMinimum) == [false, true, false, false, false, true],
                "10→2 dips below 3, 2→1 stays down, 5→3 is at the minimum (not below), 3→2 dips again")
            #expect(changes.allSatisfy { $0.productID == product && $0.companyID == world.companyA })
        }
    }
}

@Suite("Event hub")
struct EventHubTests {
    @Test("a subscriber that falls behind loses the oldest events, counted, instead of growing without limit")
    func boundedSubscribers() async throws {
        let hub = EventHub(bufferSize: 2)
        let slow = hub.subscribe()
        for userID in 1...5 { hub.publish(.notificationsChanged(userIDs: [Int64(userID)])) }
        #expect(hub.publishedCount == 5 && hub.droppedCount == 3)
        var received: [DomainEvent] = []
        for await event in slow {
            received.append(event)
            if received.count == 2 { break }
        }
        #expect(received == [.notificationsChanged(userIDs: [4]), .notificationsChanged(userIDs: [5])])
    }
}
