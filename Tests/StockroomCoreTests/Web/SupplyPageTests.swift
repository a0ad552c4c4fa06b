import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// The supply side's pages over HTTP: suppliers, purchase orders and transfers for each role and language, another
/// company's records, what is due on an order and what is on its way to a store.
@Suite("Supply pages")
struct SupplyPageTests {
    /// Each page with a word it shows in English and in Spanish.
    static func pages(_ shop: SupplyShop) -> [(path: String, en: String, es: String)] {
        [
            ("/suppliers", "<h1>Suppliers", "<h1>Proveedores"), ("/suppliers/new", "<h1>New supplier", "<h1>Nuevo proveedor"),
            ("/suppliers/\(shop.supplier)", "<h1>Edit supplier", "<h1>Editar proveedor"),
            ("/purchase-orders", "<h1>Purchase orders", "<h1>Pedidos de compra"),
            ("/purchase-orders/new", "<h1>New order", "<h1>Nuevo pedido"),
            ("/purchase-orders/\(shop.order)", "Still due", "Pendiente"), ("/transfers", "<h1>Transfers", "<h1>Transferencias"),
            ("/transfers/new", "<h1>Send stock", "<h1>Enviar stock"), ("/transfers/\(shop.transfer)", "In transit", "En tránsito"),
        ]
    }

    @Test("every supply page opens for an owner and for the store's admin, in English and Spanish; a vendor gets the 403 page")
    func rolesAndLanguages() async throws {
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            let shop = try await SupplyShop.make(client, world, owner: owner)
            let admin = try await client.signIn(world.adminA1)
            for session in [owner, admin] {
                for (path, english, spanish) in Self.pages(shop) {
                    let en = try await client.call(.get, path, as: session, headers: [.acceptLanguage: "en"])
                    #expect(en.status == .ok && en.text.contains(english) && en.text.contains(#"<html lang="en" "#), "\(path): \(en.status)")
                    let es = try await client.call(.get, path, as: session, headers: [.acceptLanguage: "es"])
                    #expect(es.status == .ok && es.text.contains(spanish) && es.text.contains(#"<html lang="es" "#), "\(path) es: \(es.status)")
                }
            }
            let menu = try await client.call(.get, "/stock", as: owner).text
            #expect(menu.contains(#"href="/suppliers""#) && menu.contains(#"href="/purchase-orders""#) && menu.contains(#"href="/transfers""#))
            let vendor = try await client.signIn(world.vendorA1)
            let vendorMenu = try await client.call(.get, "/stock", as: vendor).text
            #expect(!vendorMenu.contains(#"href="/suppliers""#) && !vendorMenu.contains(#"href="/transfers""#), "no entries a vendor cannot open")
            for (path, _, _) in Self.pages(shop) {
                let refused = try await client.call(.get, path, as: vendor, headers: StaffPageTests.html)
                #expect(refused.status == .forbidden && refused.text.contains("Your role cannot open this page"), "\(path): \(refused.status)")
            }
        }
    }

    @Test("another company's supplier, order and transfer are 404 pages; an admin of another store does not see the order")
    func otherCompany() async throws {
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            let shop = try await SupplyShop.make(client, world, owner: owner)
            let stranger = try await client.signIn(world.ownerB)
            for path in ["/suppliers/\(shop.supplier)", "/purchase-orders/\(shop.order)", "/transfers/\(shop.transfer)"] {
                let page = try await client.call(.get, path, as: stranger, headers: StaffPageTests.html)
                #expect(page.status == .notFound && page.text.contains("Not found") && !page.text.contains("Coffee"), "\(path)")
            }
            #expect(!(try await client.call(.get, "/purchase-orders", as: stranger).text.contains("Norte")))
            let adminA2 = try await client.signIn(world.adminA2)
            #expect(try await client.call(.get, "/purchase-orders/\(shop.order)", as: adminA2).status == .notFound, "A1's order")
            #expect(try await client.call(.get, "/transfers/\(shop.transfer)", as: adminA2).status == .ok, "A2 receives the transfer")
            let bad = try await client.call(.get, "/purchase-orders?status=lost", as: owner, headers: StaffPageTests.html)
            #expect(bad.status == .badRequest && bad.text.contains("status"))
        }
    }

    @Test("an order's page shows ordered, received and still due per line, its delivery, and a receive form starting at what is due")
    func dueQuantities() async throws {
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            let shop = try await SupplyShop.make(client, world, owner: owner)
            let received = try await client.call(
                .post, "/api/purchase-orders/\(shop.order)/receipts", as: owner,
                json: #"{"lines": [{"product_id": \#(shop.coffee), "quantity": 5}], "note": "first pallet"}"#)
            #expect(received.status == .created, "\(received.text)")

            let page = try await client.call(.get, "/purchase-orders/\(shop.order)", as: owner).text
            let coffee = try #require(Self.row(page, barcode: SupplyShop.coffeeCode))
            #expect(Self.cells(coffee) == ["12", "5", "7", "€4.10", "€49.20"], "\(coffee)")
            let tea = try #require(Self.row(page, barcode: SupplyShop.teaCode))
            #expect(Self.cells(tea) == ["5", "0", "5", "€2.50", "€12.50"], "\(tea)")
            #expect(page.contains(#"<span class="badge partially_received" id="order-status">partly received</span>"#))
            #expect(page.contains("Norte &amp; &lt;Sur&gt;") && page.contains("first pallet") && page.contains("<li>Coffee beans × 5</li>"))
            #expect(
                page.contains(#"data-receive="/api/purchase-orders/\#(shop.order)/receipts""#)
                    && page.contains(#"data-key="quantity" inputmode="numeric" autocomplete="off" value="7""#)
                    && page.contains(#"data-key="quantity" inputmode="numeric" autocomplete="off" value="5""#))
            #expect(page.contains(#"data-api="/api/purchase-orders/\#(shop.order)/cancel""#) && !page.contains("/order\""), "no placing twice")
            let spanish = try await client.call(.get, "/purchase-orders/\(shop.order)", as: owner, headers: [.acceptLanguage: "es"]).text
            #expect(spanish.contains("recibido en parte") && spanish.contains("4,10"))
            let list = try await client.call(.get, "/purchase-orders?status=partially_received", as: owner).text
            #expect(Self.cells(try #require(Self.row(list, attribute: "data-order=\"\(shop.order)\""))).contains("12"), "7 + 5 still due")
            let filtered = try await client.call(.get, "/purchase-orders?status=received", as: owner).text
            #expect(!filtered.contains(#"data-order="\#(shop.order)""#))

            // received in full: nothing is due and nothing more is offered
            let rest = try await client.call(
                .post, "/api/purchase-orders/\(shop.order)/receipts", as: owner,
                json: #"{"lines": [{"product_id": \#(shop.coffee), "quantity": 7}, {"product_id": \#(shop.tea), "quantity": 5}]}"#)
            #expect(rest.status == .created, "\(rest.text)")
            let done = try await client.call(.get, "/purchase-orders/\(shop.order)", as: owner).text
            #expect(done.contains(">received</span>") && !done.contains("data-receive=") && !done.contains("/cancel\""))
        }
    }

    @Test("a draft offers its lines to change, placing and cancelling; the new order page offers active suppliers and the owner's stores")
    func draftAndNewOrder() async throws {
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            let shop = try await SupplyShop.make(client, world, owner: owner)
            let idle = try await client.createSupplier(as: owner, name: "Idle")
            #expect(try await client.call(.put, "/api/suppliers/\(idle)", as: owner, json: #"{"is_active": false}"#).status == .ok)
            let admin = try await client.signIn(world.adminA1)
            let created = try await client.call(
                .post, "/api/purchase-orders", as: admin,
                json: #"{"supplier_id": \#(shop.supplier), "lines": [{"product_id": \#(shop.tea), "quantity": 2, "unit_cost": 2.25}]}"#)
            let draft = try #require(try created.json()["id"]?.int)

            let page = try await client.call(.get, "/purchase-orders/\(draft)", as: admin).text
            #expect(page.contains(#"data-api="/api/purchase-orders/\#(draft)" data-method="PUT""#) && page.contains(#"id="place""#))
            #expect(page.contains(#"name="lines[0].unit_cost" type="number" min="0" max="1000000" step="0.01" value="2.25""#))
            #expect(page.contains(#"<script src="/assets/lines.js"></script>"#) && !page.contains("receiving.js"))

            let new = try await client.call(.get, "/purchase-orders/new", as: owner).text
            #expect(new.contains(">Norte &amp; &lt;Sur&gt;</option>") && !new.contains(">Idle</option>"), "only suppliers taking orders")
            #expect(new.contains(#"<option value="\#(world.storeA2)">A2</option>"#), "owners order for any store")
            let adminNew = try await client.call(.get, "/purchase-orders/new?store_id=\(world.storeA2)", as: admin).text
            #expect(!adminNew.contains(#"<select name="store_id""#) && adminNew.contains(#"name="store_id" value="\#(world.storeA1)""#))
            let suppliers = try await client.call(.get, "/suppliers?active=false", as: owner).text
            #expect(suppliers.contains(">Idle</a>") && !suppliers.contains("Norte"))
            let form = try await client.call(.get, "/suppliers/\(idle)", as: owner).text
            #expect(form.contains(#"data-api="/api/suppliers/\#(idle)" data-method="PUT""#) && !form.contains(#"name="is_active" checked"#))
        }
    }

    @Test("the stock page shows what is on its way to the store; the transfer's page offers receiving to the receiving store only")
    func inTransit() async throws {
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            let shop = try await SupplyShop.make(client, world, owner: owner)
            let stock = try await client.call(.get, "/stock?store_id=\(world.storeA2)", as: owner).text
            let coffee = try #require(Self.row(stock, barcode: SupplyShop.coffeeCode))
            #expect(coffee.contains(#"<small class="on-the-way">+6 on the way</small>"#), "\(coffee)")
            #expect(stock.contains(#"id="on-the-way">Units on their way to this store: <strong>9</strong>"#))
            let adminA2 = try await client.signIn(world.adminA2)
            #expect(try await client.call(.get, "/stock", as: adminA2, headers: [.acceptLanguage: "es"]).text.contains("+3 en camino"))
            #expect(!(try await client.call(.get, "/stock", as: owner).text.contains("on-the-way")), "nothing is on its way to A1")
            let vendor = try await client.signIn(world.vendorA2)
            #expect(!(try await client.call(.get, "/stock", as: vendor).text.contains("on-the-way")))

            let receiving = try await client.call(.get, "/transfers/\(shop.transfer)", as: adminA2).text
            #expect(receiving.contains(#"data-receive="/api/transfers/\#(shop.transfer)/receipts""#) && receiving.contains(#"data-key="lost""#))
            let sender = try await client.call(.get, "/transfers/\(shop.transfer)", as: try await client.signIn(world.adminA1)).text
            #expect(sender.contains("Coffee beans") && !sender.contains("data-receive="), "the source store does not take it in")
            let list = try await client.call(.get, "/transfers?to_store_id=\(world.storeA2)", as: adminA2).text
            #expect(Self.cells(try #require(Self.row(list, attribute: "data-transfer=\"\(shop.transfer)\""))).contains("9"))
        }
    }

    /// The table row holding `barcode` (or the given attribute).
    static func row(_ html: String, barcode: String) -> String? {
        row(html, attribute: "data-barcode=\"\(barcode)\"")
    }

    static func row(_ html: String, attribute: String) -> String? {
        guard let start = html.range(of: "<tr " + attribute), let end = html[start.upperBound...].range(of: "</tr>") else { return nil }
        return String(html[start.lowerBound..<end.upperBound])
    }

    /// The text of a row's numeric cells, in order.
    static func cells(_ row: String) -> [String] {
        row.matches(of: /<td class="num[^"]*">(?:<strong>)?([^<]*)/).map { String($0.output.1) }
    }
}
