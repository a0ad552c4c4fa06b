import Foundation
import HummingbirdTesting
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// The sessions and tokens kept between requests (`CredentialCache`): what may be kept, and for how long.
@Suite("Credential cache")
struct CredentialCacheTests {
    static let user = User(
        id: 1, companyID: 1, storeID: 1, username: "vendor", email: "v@example.com", passwordHash: "x", role: .vendor,
        status: .active, createdAt: .now, updatedAt: .now, lastLoginAt: nil)

    func token(readAt: Date = .now) -> CredentialCache.Token {
        CredentialCache.Token(user: Self.user, tokenID: 7, lastUsedAt: readAt, readAt: readAt)
    }

    @Test("a lookup that read before a change cannot keep what it read; one after it can")
    func generations() {
        let cache = CredentialCache(trusted: true)
        let before = cache.generation
        cache.forgetAll()  // a sign-out committed while the lookup was reading
        cache.remember(token(), digest: "a", readAt: before)
        #expect(cache.token("a", now: .now) == nil)
        cache.remember(token(), digest: "a", readAt: cache.generation)
        #expect(cache.token("a", now: .now)?.tokenID == 7)
        cache.forgetAll()
        #expect(cache.token("a", now: .now) == nil && cache.count == 0)
    }

    @Test("an entry serves for a minute after it was read, no longer")
    func maximumAge() {
        let cache = CredentialCache(trusted: true)
        let read = Date.now
        cache.remember(token(readAt: read), digest: "a", readAt: cache.generation)
        #expect(cache.token("a", now: read + 59) != nil)
        #expect(cache.token("a", now: read + 60) == nil)
    }

    @Test("nothing is kept while suspended (PostgreSQL before its relay listens, or after it lost the connection)")
    func suspended() {
        let cache = CredentialCache(trusted: false)
        cache.remember(token(), digest: "a", readAt: cache.generation)
        #expect(cache.count == 0)
        cache.resume()
        cache.remember(token(), digest: "a", readAt: cache.generation)
        #expect(cache.count == 1)
        cache.suspend()
        #expect(cache.count == 0)
        cache.remember(token(), digest: "b", readAt: cache.generation)
        #expect(cache.count == 0)
    }

    @Test("the cache starts over past its limit instead of growing")
    func limit() {
        let cache = CredentialCache(trusted: true)
        for index in 0..<CredentialCache.limit { cache.remember(token(), digest: "\(index)", readAt: cache.generation) }
        #expect(cache.count == CredentialCache.limit)
        cache.remember(token(), digest: "one more", readAt: cache.generation)
        #expect(cache.count == 1)
    }

    @Test("a request's token is read once, then kept; a sign-out on the same server forgets at once", arguments: Engine.allCases)
    func keptAndForgotten(engine: Engine) async throws {
        try await ShopWorld.run(engine) { client, world in
            let vendor = try await client.signIn(world.vendorA1)
            let kept = world.database.credentials
            #expect(try await client.call(.get, "/api/me", as: vendor).status == .ok)
            #expect(try await client.call(.get, "/api/me", as: vendor).status == .ok)
            // PostgreSQL keeps entries once its relay listens (in the test app it does, shortly after start)
            if engine == .sqlite { #expect(kept.count == 1) }
            #expect(try await client.call(.post, "/api/logout", as: vendor).status.code < 300)
            #expect(kept.count == 0)
            #expect(try await client.call(.get, "/api/me", as: vendor).status == .unauthorized)
        }
    }

    @Test("marking a token used is not a revocation: the token stays kept after its first use")
    func touchKeeps() async throws {
        try await ShopWorld.run { client, world in
            let vendor = try await client.signIn(world.vendorA1)
            let created = try await client.call(.post, "/api/tokens", as: vendor, json: #"{"name": "till"}"#).json()
            guard case .string(let secret)? = created["token"] else { throw ClusterError("\(created)") }
            world.database.credentials.forgetAll()
            // its first use marks it used (an UPDATE of its row), which must not forget it
            #expect(try await client.execute(uri: "/api/me", method: .get, headers: [.authorization: "Bearer \(secret)"]).status == .ok)
            #expect(world.database.credentials.count == 1)
        }
    }
}
