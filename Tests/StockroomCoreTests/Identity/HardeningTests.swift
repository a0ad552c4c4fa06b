import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// What an outside probe of the running server found (issue #21), each on both engines.
@Suite("Hardening after the outside probe")
struct HardeningTests {
    static let proxy = ["STOCKROOM_TRUST_PROXY": "true"]
    static let forwardedProto = HTTPField.Name("X-Forwarded-Proto")!

    func login(_ client: any TestClientProtocol, _ headers: HTTPFields, body: String? = nil) async throws -> TestResponse {
        try await client.execute(
            uri: "/api/login", method: .post, headers: headers,
            body: ByteBuffer(string: body ?? #"{"username": "admin", "password": "\#(TestDatabase.ownerPassword)"}"#))
    }

    @Test(
        "sign-in refuses another site's page and a body not labelled JSON; a client that names no origin still signs in",
        arguments: Engine.allCases)
    func loginCSRF(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, _ in
            let foreign = try await login(client, [.contentType: "application/json", .origin: "https://evil.example"])
            #expect(foreign.status == .forbidden && foreign.headers[.setCookie] == nil, "\(foreign.text)")
            #expect(try foreign.json()["code"] == .string("csrf_failed"))
            let referred = try await login(client, [.contentType: "application/json", .referer: "https://evil.example/form"])
            #expect(referred.status == .forbidden && referred.headers[.setCookie] == nil)
            let unlabelled = try await login(client, [:])
            #expect(unlabelled.status == .unsupportedMediaType && unlabelled.headers[.setCookie] == nil, "\(unlabelled.text)")
            let plain = try await login(client, [.contentType: "text/plain"])
            #expect(plain.status == .unsupportedMediaType)
            // curl, a till script: no Origin
            let curl = try await login(client, [.contentType: "application/json"])
            #expect(curl.status == .ok && curl.headers[.setCookie] != nil, "\(curl.text)")
            // the server's own page
            let own = try await login(client, [.contentType: "application/json; charset=utf-8", .origin: "http://localhost"])
            #expect(own.status == .ok)
            // the sign-in form of the staff pages, from another site
            let form = try await client.execute(
                uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .referer: "https://evil.example/"],
                body: ByteBuffer(string: "username=admin&password=\(TestDatabase.ownerPassword)"))
            #expect(form.status == .forbidden && form.headers[.setCookie] == nil)
        }
    }

    @Test(
        "the origin check compares the scheme where the server knows it: behind a trusted proxy, or served over HTTPS",
        arguments: Engine.allCases)
    func originScheme(engine: Engine) async throws {
        // the test server is reached as http://localhost, and by itself cannot know whether TLS ended at a proxy
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            for (origin, name) in [("http://localhost", "S1"), ("https://localhost", "S2")] {
                let response = try await client.call(.post, "/api/stores", as: owner, json: #"{"name": "\#(name)"}"#, headers: [.origin: origin])
                #expect(response.status == .created, "\(origin): \(response.text)")
            }
            // a proxy we do not trust cannot make the scheme anything
            let claimed = try await client.call(
                .post, "/api/stores", as: owner, json: #"{"name": "S3"}"#,
                headers: [.origin: "http://evil.localhost", Self.forwardedProto: "http"])
            #expect(claimed.status == .forbidden)
        }
        // served over HTTPS: a page of the plain-HTTP site is another origin
        try await ShopWorld.run(engine, environment: ["STOCKROOM_SECURE_COOKIES": "true"]) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let downgraded = try await client.call(.post, "/api/stores", as: owner, json: #"{"name": "S4"}"#, headers: [.origin: "http://localhost"])
            #expect(downgraded.status == .forbidden, "an http page is another origin than the https site")
            let same = try await client.call(.post, "/api/stores", as: owner, json: #"{"name": "S5"}"#, headers: [.origin: "https://localhost"])
            #expect(same.status == .created, "\(same.text)")
            let login = try await login(client, [.contentType: "application/json", .origin: "http://localhost"])
            #expect(login.status == .forbidden, "sign-in from the http page of an https site")
        }
        // behind a trusted proxy the scheme is its X-Forwarded-Proto
        try await ShopWorld.run(engine, environment: Self.proxy) { client, world in
            let owner = try await client.signIn(world.ownerA)
            var headers: HTTPFields = [Self.forwardedProto: "https", .origin: "http://localhost"]
            let downgraded = try await client.call(.post, "/api/stores", as: owner, json: #"{"name": "S6"}"#, headers: headers)
            #expect(downgraded.status == .forbidden, "an http page is another origin than the https site the proxy serves")
            headers[.origin] = "https://localhost"
            let same = try await client.call(.post, "/api/stores", as: owner, json: #"{"name": "S7"}"#, headers: headers)
            #expect(same.status == .created, "\(same.text)")
            headers = [Self.forwardedProto: "http", .origin: "https://localhost"]
            let other = try await client.call(.post, "/api/stores", as: owner, json: #"{"name": "S8"}"#, headers: headers)
            #expect(other.status == .forbidden, "the proxy says the browser used http: an https page is another site")
        }
    }

    @Test(
        "cookies are Secure when the request came over HTTPS through a trusted proxy; signed-in answers are not cached",
        arguments: Engine.allCases)
    func cookiesAndCaching(engine: Engine) async throws {
        try await ShopWorld.run(engine, environment: Self.proxy) { client, world in
            let overTLS = try await login(client, [.contentType: "application/json", Self.forwardedProto: "https"])
            let secure = try #require(overTLS.headers[.setCookie])
            #expect(secure.contains("Secure") && secure.contains("HttpOnly"), "\(secure)")
            let plain = try #require(try await login(client, [.contentType: "application/json"]).headers[.setCookie])
            #expect(!plain.contains("Secure"), "plain HTTP in a test setup keeps working: \(plain)")
            #expect(overTLS.headers[.cacheControl] == "no-store")

            let owner = try await client.signIn(world.ownerA)
            for path in ["/api/me", "/api/products", "/api/stores", "/products", "/till"] {
                let response = try await client.call(.get, path, as: owner)
                #expect(response.status == .ok, "\(path)")
                #expect(response.headers[.cacheControl] == "no-store", "\(path): \(response.headers[.cacheControl] ?? "none")")
            }
            // what anyone may read keeps its own caching
            let health = try await client.call(.get, "/api/health", as: nil)
            #expect(health.headers[.cacheControl] != "no-store")
        }
    }

    func token(_ client: any TestClientProtocol, for session: SignedIn) async throws -> String {
        let created = try await client.call(.post, "/api/tokens", as: session, json: #"{"name": "till script"}"#)
        guard case .string(let secret)? = try created.json()["token"] else { throw ClusterError("\(created.text)") }
        return secret
    }

    func me(_ client: any TestClientProtocol, bearer: String) async throws -> HTTPResponse.Status {
        try await client.execute(uri: "/api/me", method: .get, headers: [.authorization: "Bearer \(bearer)"]).status
    }

    @Test("a password change or a deactivation revokes the account's API tokens for good", arguments: Engine.allCases)
    func tokensEndWithTheAccount(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            // the owner changes their own password: their tokens stop, and the answer says so
            let owner = try await client.signIn(world.ownerA)
            let ownerTokens = [try await token(client, for: owner), try await token(client, for: owner)]
            #expect(try await me(client, bearer: ownerTokens[0]) == .ok)
            let changed = try await client.call(
                .put, "/api/settings/password", as: owner,
                json: """
                    {"current_password": "\(TestDatabase.ownerPassword)", "new_password": "new-password-9", "confirm_password": "new-password-9"}
                    """)
            #expect(changed.status == .ok, "\(changed.text)")
            #expect(changed.text.contains("2 API tokens were revoked"), "\(changed.text)")
            for secret in ownerTokens { #expect(try await me(client, bearer: secret) == .unauthorized) }

            // a deactivated vendor's token does not come back when the account is activated again
            let vendor = try await client.signIn(world.vendorA1)
            let vendorToken = try await token(client, for: vendor)
            let admin = try await client.signIn(world.adminA1)
            #expect(try await client.call(.delete, "/api/users/\(world.vendorA1.id)", as: admin).status == .ok)
            #expect(try await me(client, bearer: vendorToken) == .unauthorized)
            let activated = try await client.call(.put, "/api/users/\(world.vendorA1.id)", as: admin, json: #"{"status": "active"}"#)
            #expect(activated.status == .ok, "\(activated.text)")
            #expect(try await me(client, bearer: vendorToken) == .unauthorized, "a revoked token stays revoked")
            // and the account itself signs in again and may make a new one
            let back = try await client.signIn(world.vendorA1)
            #expect(try await me(client, bearer: try await token(client, for: back)) == .ok)
        }
    }

    @Test(
        "trying other companies' usernames and emails is throttled like sign-in, and then even a free one is refused",
        arguments: Engine.allCases)
    func namesCannotBeListed(engine: Engine) async throws {
        // two failures per account: four "taken" answers per caller in the window
        try await ShopWorld.run(engine, environment: ["STOCKROOM_LOGIN_MAX_FAILURES": "2", "STOCKROOM_TRUST_PROXY": "true"]) { client, world in
            let vendorB = try await client.signIn(world.vendorB)
            let companyA = ["admin", "admina1", "vendora1", "admina2", "vendora2", "owner"]
            var answers: [Int] = []
            for name in companyA {
                let response = try await client.call(.put, "/api/settings/profile", as: vendorB, json: #"{"email": "\#(name)@example.com"}"#)
                answers.append(Int(response.status.code))
                #expect(!response.text.contains("\"A\"") && !response.text.lowercased().contains("company"), "\(response.text)")
            }
            #expect(answers.prefix(4).allSatisfy { $0 == 409 || $0 == 200 }, "\(answers)")
            #expect(answers.filter { $0 == 409 }.count == 4 && answers.suffix(2) == [429, 429], "\(answers)")
            // over the limit, a free address is refused too: the answer no longer tells taken from free
            let free = try await client.call(.put, "/api/settings/profile", as: vendorB, json: #"{"email": "nobody-yet@example.com"}"#)
            #expect(free.status == .tooManyRequests && free.headers[.retryAfter] != nil)

            // an owner creating accounts with another company's usernames: the same
            let ownerB = try await client.signIn(world.ownerB)
            var created: [Int] = []
            for name in companyA {
                created.append(
                    Int(
                        try await client.call(
                            .post, "/api/users", as: ownerB,
                            json: """
                                {"username": "\(name)", "email": "new-\(name)@b.example", "password": "password-123", "role": "vendor"}
                                """
                        ).status.code))
            }
            #expect(created.filter { $0 == 409 }.count == 4 && created.suffix(2) == [429, 429], "\(created)")
            // another company is not affected (the count is per account and per company)
            let ownerA = try await client.signIn(world.ownerA)
            let fine = try await client.call(
                .put, "/api/settings/profile", as: ownerA, json: #"{"email": "owner-a@example.com"}"#,
                headers: [HTTPField.Name("X-Forwarded-For")!: "198.51.100.7"])
            #expect(fine.status == .ok, "\(fine.text)")
        }
    }

    func price(_ client: any TestClientProtocol, _ product: Int64, as session: SignedIn) async throws -> JSONValue? {
        try await client.call(.get, "/api/products/\(product)", as: session).json()["price"]
    }

    @Test(
        "a store admin cannot change what another store charges; their own store's stock, minimum and archive stay theirs",
        arguments: Engine.allCases)
    func adminsKeepToTheirStore(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let admin1 = try await client.signIn(world.adminA1)
            let admin2 = try await client.signIn(world.adminA2)
            // a product only store 2 carries
            let product = try await client.createProduct(
                as: owner, barcode: "S2-ONLY", name: "Store two tea", quantity: 10, price: 4, storeID: world.storeA2)
            // store 2's admin runs the only store that carries it: they may reprice it
            let byAdmin2 = try await client.call(.put, "/api/products/\(product)", as: admin2, json: #"{"price": 5}"#)
            #expect(byAdmin2.status == .ok, "\(byAdmin2.text)")
            // store 1's admin may not: store 2 carries it
            let byAdmin1 = try await client.call(.put, "/api/products/\(product)", as: admin1, json: #"{"price": 0.01, "name": "Cheap"}"#)
            let refusal = try byAdmin1.json()["code"]
            #expect(byAdmin1.status == .forbidden && refusal == .string("shared_product"), "\(byAdmin1.text)")
            let kept = try await price(client, product, as: owner)
            #expect(kept == .double(5) || kept == .int(5), "\(String(describing: kept))")
            // but may stock it in their own store (the same values sent again change nothing shared)
            let stocked = try await client.call(
                .put, "/api/products/\(product)", as: admin1, json: #"{"price": 5, "quantity": 3, "min_quantity": 1}"#)
            #expect(stocked.status == .ok, "\(stocked.text)")
            #expect(try await world.stock(store: world.storeA1, product: product) == 3)
            // now both stores carry it: neither admin changes its price, the owner does
            #expect(try await client.call(.put, "/api/products/\(product)", as: admin2, json: #"{"price": 1}"#).status == .forbidden)
            #expect(try await client.call(.put, "/api/products/\(product)", as: owner, json: #"{"price": 6}"#).status == .ok)
            // nor through a CSV import
            var headers = admin1.headers
            headers[.contentType] = "text/csv"
            let preview = try await client.execute(
                uri: "/api/import/products", method: .post, headers: headers, body: ByteBuffer(string: "barcode,name,price\nS2-ONLY,Cheap,0.01\n"))
            guard case .int(let importID)? = try preview.json()["id"] else { throw ClusterError("\(preview.text)") }
            let imported = try await client.call(.post, "/api/import/products/\(importID)/confirm", as: admin1)
            #expect(imported.status == .forbidden, "\(imported.text)")
            // a vendor of store 2 still sells at the owner's price
            let vendor2 = try await client.signIn(world.vendorA2)
            let sale = try await client.call(.post, "/api/sales", as: vendor2, json: #"{"barcode": "S2-ONLY", "quantity": 1}"#)
            #expect(sale.status == .created || sale.status == .ok, "\(sale.text)")
            #expect(sale.text.contains("6"), "\(sale.text)")
            // archiving in their own store stays an admin's, and leaves store 2 selling
            let archived = try await client.call(.delete, "/api/products/\(product)", as: admin1)
            #expect(archived.status == .ok && archived.text.contains("store \(world.storeA1)"), "\(archived.text)")
            #expect(try await client.call(.post, "/api/sales", as: vendor2, json: #"{"barcode": "S2-ONLY", "quantity": 1}"#).status == .created)
        }
    }
}
