import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SQLKit
import Testing

@testable import StockroomCore
@testable import StockroomDomain

@Suite("Sessions, CSRF, throttling and tokens")
struct SessionTests {
    @Test("a secret's digest is its SHA-256 in lower-case hex, as stored by every earlier version")
    func digestIsHexSHA256() {
        #expect(SecretToken.digest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SecretToken.digest("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test("sign-in answers the contract's fields and sets an HttpOnly, SameSite=Lax session cookie")
    func loginAndCookie() async throws {
        try await ShopWorld.run { client, world in
            let response = try await client.call(
                .post, "/api/login", as: nil, json: #"{"username": "VendorA1@Example.com", "password": "password-123"}"#)
            #expect(response.status == .ok)
            let body = try response.json()
            #expect(
                body == [
                    "success": .bool(true), "user_id": .int(world.vendorA1.id), "username": .string("vendora1"),
                    "role": .string("vendor"), "store_id": .int(world.storeA1), "company_id": .int(world.companyA),
                ])
            let cookie = try #require(response.headers[.setCookie])
            #expect(cookie.hasPrefix("\(Authenticator.cookieName)="))
            for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=43200"] {
                #expect(cookie.contains(attribute), "\(cookie) lacks \(attribute)")
            }
            #expect(!cookie.contains("Secure"), "plain HTTP by default")
            // the database keeps only a digest of the cookie's secret
            let secret = String(cookie.split(separator: ";")[0].split(separator: "=")[1])
            let stored = try await world.database.read { try await $0.raw("SELECT id FROM sessions").all(decodingColumn: "id", as: String.self) }
            #expect(stored == [SecretToken.digest(secret)])
        }
        try await ShopWorld.run(environment: ["STOCKROOM_SECURE_COOKIES": "true"]) { client, _ in
            let response = try await client.call(.post, "/api/login", as: nil, json: #"{"username": "vendora1", "password": "password-123"}"#)
            #expect(response.headers[.setCookie]?.contains("Secure") == true)
        }
    }

    @Test("bad sign-ins: 400 for missing fields, one 401 for unknown user and wrong password, 403 for disabled accounts")
    func loginFailures() async throws {
        try await ShopWorld.run { client, world in
            let missing = try await client.call(.post, "/api/login", as: nil, json: #"{"username": "vendora1"}"#)
            #expect(try missing.status == .badRequest && (missing.json()["field"]) == .string("password"))
            let unknown = try await client.call(.post, "/api/login", as: nil, json: #"{"username": "nobody", "password": "password-123"}"#)
            let wrong = try await client.call(.post, "/api/login", as: nil, json: #"{"username": "vendora1", "password": "password-999"}"#)
            #expect(unknown.status == .unauthorized && wrong.status == .unauthorized)
            #expect(unknown.text == wrong.text, "the answer does not tell which one was wrong")
            let tooLong = try await client.call(
                .post, "/api/login", as: nil, json: #"{"username": "vendora1", "password": "\#(String(repeating: "x", count: 73))"}"#)
            #expect(tooLong.status == .badRequest)

            let owner = try await client.signIn(world.ownerA)
            #expect(try await client.call(.delete, "/api/users/\(world.vendorA1.id)", as: owner).status == .ok)
            let disabled = try await client.call(.post, "/api/login", as: nil, json: #"{"username": "vendora1", "password": "password-123"}"#)
            #expect(try disabled.status == .forbidden && (disabled.json()["code"]) == .string("account_disabled"))
            let actions = try await world.database.read {
                try await $0.raw("SELECT action FROM audit_log WHERE action LIKE 'login%' ORDER BY id").all(decodingColumn: "action", as: String.self)
            }
            #expect(actions == ["login_failed", "login_failed", "login", "login_refused"], "every sign-in, good or bad, is audited")
        }
    }

    @Test("repeated failures for one account answer 429 with Retry-After, even with the right password; an address is limited too")
    func throttling() async throws {
        try await ShopWorld.run(environment: ["STOCKROOM_LOGIN_MAX_FAILURES": "3"]) { client, _ in
            // username and email are one account: one count
            for login in ["vendora1", "VENDORA1@example.com", "vendora1"] {
                let response = try await client.call(.post, "/api/login", as: nil, json: #"{"username": "\#(login)", "password": "wrong-pass"}"#)
                #expect(response.status == .unauthorized)
            }
            let locked = try await client.call(.post, "/api/login", as: nil, json: #"{"username": "vendora1", "password": "password-123"}"#)
            #expect(locked.status == .tooManyRequests)
            let retryAfter = try #require(locked.headers[.retryAfter].flatMap { Int($0) })
            #expect((1...900).contains(retryAfter))
            // another account still signs in, and a good sign-in does not count against the address (3 of its 12)
            _ = try await client.signIn("vendora2", "password-123")
            for index in 0..<9 {
                _ = try await client.call(.post, "/api/login", as: nil, json: #"{"username": "ghost\#(index)", "password": "wrong-pass"}"#)
            }
            let addressLocked = try await client.call(.post, "/api/login", as: nil, json: #"{"username": "admina1", "password": "password-123"}"#)
            #expect(addressLocked.status == .tooManyRequests, "12 failures from one address lock it out")
        }
    }

    @Test("a burst of parallel guesses cannot slip past the limit", arguments: Engine.allCases)
    func parallelGuesses(engine: Engine) async throws {
        try await ShopWorld.run(engine, environment: ["STOCKROOM_LOGIN_MAX_FAILURES": "3"]) { client, _ in
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<12 {
                    group.addTask {
                        try await client.call(.post, "/api/login", as: nil, json: #"{"username": "vendorb", "password": "wrong-pass"}"#).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .unauthorized }.count == 3, "\(statuses)")
            #expect(statuses.filter { $0 == .tooManyRequests }.count == 9)
        }
    }

    @Test("registrations are limited per address; the address comes from X-Forwarded-For only behind a trusted proxy")
    func registrationThrottleAndProxy() async throws {
        try await ShopWorld.run(environment: ["STOCKROOM_LOGIN_MAX_FAILURES": "1", "STOCKROOM_TRUST_PROXY": "true"]) { client, world in
            let forwarded: HTTPFields = [HTTPField.Name("X-Forwarded-For")!: "198.51.100.1, 203.0.113.9"]
            var statuses: [HTTPResponse.Status] = []
            for index in 0..<3 {
                statuses.append(
                    try await client.call(
                        .post, "/api/register", as: nil,
                        json: """
                            {"username": "reg\(index)", "email": "reg\(index)@example.com", "password": "password-123"}
                            """, headers: forwarded
                    ).status)
            }
            #expect(statuses == [.created, .created, .tooManyRequests])
            let addresses = try await world.database.read {
                try await $0.raw("SELECT ip_address FROM audit_log WHERE action = 'register'").all(decodingColumn: "ip_address", as: String.self)
            }
            #expect(addresses == ["203.0.113.9", "203.0.113.9"], "the proxy's own entry, not the client-supplied one")
        }
        try await ShopWorld.run { client, world in
            _ = try await client.call(
                .post, "/api/register", as: nil, json: #"{"username": "reg", "email": "reg@example.com", "password": "password-123"}"#,
                headers: [HTTPField.Name("X-Forwarded-For")!: "203.0.113.9"])
            let address = try await world.database.read {
                try await $0.raw("SELECT ip_address FROM audit_log WHERE action = 'register'").first(decodingColumn: "ip_address", as: String.self)
            }
            #expect(address != "203.0.113.9", "without a trusted proxy the header is ignored")
        }
    }

    @Test("a cookie-authenticated write from another origin or with a wrong CSRF token is refused and changes nothing")
    func csrf() async throws {
        try await ShopWorld.run(environment: ["STOCKROOM_ALLOWED_ORIGINS": "https://shop.example.com"]) { client, world in
            let owner = try await client.signIn(world.ownerA)
            let body = #"{"name": "Evil store"}"#
            for headers: HTTPFields in [
                [.origin: "https://evil.example"], [.referer: "https://evil.example/page"],
                [CSRFCheck.headerName: "not-the-token"], [.origin: "null"],
            ] {
                let response = try await client.call(.post, "/api/stores", as: owner, json: body, headers: headers)
                #expect(try response.status == .forbidden && (response.json()["code"]) == .string("csrf_failed"), "\(headers)")
            }
            let stores = try await client.call(.get, "/api/stores", as: owner, headers: [.origin: "https://evil.example"]).json()
            #expect(stores["total"] == .int(2), "reads are not refused, and no store was created")
            for headers: HTTPFields in [[.origin: "https://shop.example.com"], [CSRFCheck.headerName: owner.csrfToken], [:]] {
                let response = try await client.call(.post, "/api/stores", as: owner, json: body, headers: headers)
                #expect(response.status == .created, "\(headers)")
            }
            // bearer requests carry no ambient credential: no CSRF check
            let token = try await client.call(.post, "/api/tokens", as: owner, json: #"{"name": "ci"}"#).json()
            guard case .string(let secret)? = token["token"] else { throw ClusterError("no token") }
            let bearer = try await client.execute(
                uri: "/api/stores", method: .post,
                headers: [.authorization: "Bearer \(secret)", .contentType: "application/json", .origin: "https://evil.example"],
                body: ByteBuffer(json: body))
            #expect(bearer.status == .created)
        }
    }

    @Test("API tokens: shown once, stored as a digest, work as Bearer, stop working when deleted")
    func tokens() async throws {
        try await ShopWorld.run { client, world in
            let vendor = try await client.signIn(world.vendorA1)
            let created = try await client.call(.post, "/api/tokens", as: vendor, json: #"{"name": "till script"}"#)
            #expect(created.status == .created)
            let body = try created.json()
            guard case .string(let secret)? = body["token"], case .int(let id)? = body["id"] else { throw ClusterError("\(body)") }
            #expect(secret.hasPrefix("sr_") && secret.count > 40)
            let listed = try await client.call(.get, "/api/tokens", as: vendor)
            #expect(!listed.text.contains(secret) && listed.text.contains("till script"))
            let digests = try await world.database.read {
                try await $0.raw("SELECT token_digest FROM api_tokens").all(decodingColumn: "token_digest", as: String.self)
            }
            #expect(digests == [SecretToken.digest(secret)])

            let me = try await client.execute(uri: "/api/me", method: .get, headers: [.authorization: "Bearer \(secret)"])
            #expect(me.status == .ok)
            #expect(try me.json()["user_id"] == .int(world.vendorA1.id) && (try me.json()["csrf_token"]) == .null, "no CSRF token without a session")
            let forbidden = try await client.execute(uri: "/api/users", method: .get, headers: [.authorization: "Bearer \(secret)"])
            #expect(forbidden.status == .forbidden, "a token has its owner's permissions, no more")

            #expect(try await client.call(.delete, "/api/tokens/\(id)", as: vendor).status == .ok)
            let revoked = try await client.execute(uri: "/api/me", method: .get, headers: [.authorization: "Bearer \(secret)"])
            #expect(try revoked.status == .unauthorized && (revoked.json()["code"]) == .string("invalid_token"))
            let basic = try await client.execute(uri: "/api/me", method: .get, headers: [.authorization: "Basic dXNlcjpwYXNz"])
            #expect(basic.status == .unauthorized)
            // someone else's token id is not found
            let owner = try await client.signIn(world.ownerA)
            let other = try await client.call(.post, "/api/tokens", as: owner, json: #"{"name": "owner"}"#).json()
            guard case .int(let ownerTokenID)? = other["id"] else { throw ClusterError("\(other)") }
            #expect(try await client.call(.delete, "/api/tokens/\(ownerTokenID)", as: vendor).status == .notFound)
        }
    }

    @Test("logout and deactivation end sessions at once; deactivation also stops the account's tokens")
    func endingSessions() async throws {
        try await ShopWorld.run { client, world in
            let first = try await client.signIn(world.vendorA1)
            let logout = try await client.call(.post, "/api/logout", as: first)
            #expect(logout.status == .ok && logout.headers[.setCookie]?.contains("Max-Age=0") == true)
            #expect(try await client.call(.get, "/api/me", as: first).status == .unauthorized)

            let second = try await client.signIn(world.vendorA1)
            let token = try await client.call(.post, "/api/tokens", as: second, json: #"{"name": "t"}"#).json()
            guard case .string(let secret)? = token["token"] else { throw ClusterError("\(token)") }
            let admin = try await client.signIn(world.adminA1)
            #expect(try await client.call(.delete, "/api/users/\(world.vendorA1.id)", as: admin).status == .ok)
            #expect(try await client.call(.get, "/api/me", as: second).status == .unauthorized)
            #expect(try await client.execute(uri: "/api/me", method: .get, headers: [.authorization: "Bearer \(secret)"]).status == .unauthorized)
            let remaining = try await world.database.read {
                try await $0.raw("SELECT COUNT(*) AS n FROM sessions WHERE user_id = \(bind: world.vendorA1.id)").first(
                    decodingColumn: "n", as: Int.self)
            }
            #expect(remaining == 0)
            let me = try await client.call(.delete, "/api/users/\(world.adminA1.id)", as: admin)
            #expect(try me.status == .unprocessableContent && (me.json()["code"]) == .string("cannot_deactivate_self"))
        }
    }

    @Test("sessions slide forward when used and end when expired")
    func slidingExpiry() async throws {
        try await ShopWorld.run { client, world in
            let session = try await client.signIn(world.vendorA1)
            let digest = SecretToken.digest(session.cookie)
            let past = Date.now.addingTimeInterval(-120).unixMilliseconds
            let soon = Date.now.addingTimeInterval(30).unixMilliseconds
            // The rows are edited to stand for time passing. A session's UPDATE only marks it used, so the server does
            // not forget what it looked up for it; the test does, as a minute's wait would.
            try await world.database.withTransaction {
                try await $0.db.raw("UPDATE sessions SET last_seen_at = \(bind: past), expires_at = \(bind: soon) WHERE id = \(bind: digest)").run()
            }
            world.database.credentials.forgetAll()
            let response = try await client.call(.get, "/api/me", as: session)
            #expect(response.status == .ok)
            #expect(response.headers[.setCookie]?.contains("Max-Age=43200") == true, "the cookie is refreshed")
            let expires = try await world.database.read {
                try await $0.raw("SELECT expires_at FROM sessions WHERE id = \(bind: digest)").first(decodingColumn: "expires_at", as: Int64.self)
            }
            #expect(try #require(expires) > Date.now.addingTimeInterval(11 * 3600).unixMilliseconds)

            try await world.database.withTransaction {
                try await $0.db.raw("UPDATE sessions SET expires_at = \(bind: past) WHERE id = \(bind: digest)").run()
            }
            world.database.credentials.forgetAll()
            #expect(try await client.call(.get, "/api/me", as: session).status == .unauthorized)
        }
    }
}
