import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// Pages and dashboards of other origins: CORS for the origins in `STOCKROOM_ALLOWED_ORIGINS` (Credith's React
/// dashboard ran on an origin of its own, with credentials), and README's "Behind a reverse proxy" checked as a
/// proxy's requests arrive (nginx's default `Host` is the upstream's address, not the one the browser used).
@Suite("Other origins and proxies", .serialized)
struct OriginTests {
    static let dashboard = "https://dashboard.shop.example"
    static let site = "https://shop.example.com"
    static let allowHeaders = HTTPField.Name("Access-Control-Allow-Headers")!
    static let allowMethods = HTTPField.Name("Access-Control-Allow-Methods")!
    static let allowCredentials = HTTPField.Name("Access-Control-Allow-Credentials")!
    static let exposeHeaders = HTTPField.Name("Access-Control-Expose-Headers")!
    static let requestMethod = HTTPField.Name("Access-Control-Request-Method")!
    static let requestHeaders = HTTPField.Name("Access-Control-Request-Headers")!
    static let forwardedProto = HTTPField.Name("X-Forwarded-Proto")!
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    /// One request as it reaches the server: `authority` is its `Host`.
    static func send(
        _ node: StockroomNode, _ method: HTTPRequest.Method, _ path: String, authority: String? = nil, headers: HTTPFields = [:],
        json: String? = nil
    ) async throws -> TestClient.Response {
        var headers = headers
        if json != nil { headers[.contentType] = "application/json" }
        let request = TestClient.Request(
            path, method: method, authority: authority ?? "127.0.0.1:\(node.port)", headers: headers, body: json.map { ByteBuffer(string: $0) })
        return try await TestClient.withClient(host: "127.0.0.1", port: node.port) { try await $0.execute(request) }
    }

    static let login = #"{"username":"admin","password":"\#(TestDatabase.ownerPassword)"}"#

    static func environment(_ folder: URL, _ extra: [String: String]) throws -> [String: String] {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return extra.merging([
            "STOCKROOM_DATABASE_URL": "sqlite://\(folder.path)/shop.sqlite", "STOCKROOM_ADMIN_PASSWORD": TestDatabase.ownerPassword,
            "STOCKROOM_BCRYPT_COST": "4",
        ]) { $1 }
    }

    @Test("CORS answers the listed origins, with credentials, and nobody else")
    func corsForListedOrigins() async throws {
        // setup
        let folder = try Installation.temporaryFolder("cors")
        defer { try? FileManager.default.removeItem(at: folder) }
        let node = try await StockroomNode.startReady(
            name: "cors", environment: try Self.environment(folder, ["STOCKROOM_ALLOWED_ORIGINS": Self.dashboard]))
        do {
            // act: the dashboard's preflight for a JSON write with the CSRF token, its sign-in and a read with the cookie
            let preflight = try await Self.send(
                node, .options, "/api/products/1",
                headers: [
                    .origin: Self.dashboard, Self.requestMethod: "PUT", Self.requestHeaders: "content-type, x-csrf-token",
                ])
            let login = try await Self.send(node, .post, "/api/login", headers: [.origin: Self.dashboard], json: Self.login)
            let cookie = try #require(login.headers[.setCookie]?.split(separator: ";").first.map(String.init))
            let me = try await Self.send(node, .get, "/api/me", headers: [.origin: Self.dashboard, .cookie: cookie])
            // act: another site tries the same
            let foreignPreflight = try await Self.send(
                node, .options, "/api/products/1", headers: [.origin: "https://evil.example", Self.requestMethod: "PUT"])
            let foreignRead = try await Self.send(node, .get, "/api/me", headers: [.origin: "https://evil.example", .cookie: cookie])
            let foreignLogin = try await Self.send(node, .post, "/api/login", headers: [.origin: "https://evil.example"], json: Self.login)

            // check: the listed origin, by name (never `*`), with credentials
            #expect(preflight.status == .noContent)
            #expect(preflight.headers[.accessControlAllowOrigin] == Self.dashboard)
            #expect(preflight.headers[Self.allowCredentials] == "true")
            #expect(preflight.headers[Self.allowMethods]?.contains("PUT") == true)
            #expect(preflight.headers[Self.allowHeaders]?.lowercased().contains("x-csrf-token") == true)
            #expect(preflight.headers[.vary] == "Origin")
            #expect(login.status == .ok && login.headers[.accessControlAllowOrigin] == Self.dashboard)
            #expect(me.status == .ok && me.headers[.accessControlAllowOrigin] == Self.dashboard && me.headers[Self.allowCredentials] == "true")
            #expect(me.headers[Self.exposeHeaders]?.contains("X-Request-Id") == true)
            // check: another site gets no CORS answer (its page cannot read), and cannot sign in
            for response in [foreignPreflight, foreignRead, foreignLogin] {
                #expect(response.headers[.accessControlAllowOrigin] == nil && response.headers[Self.allowCredentials] == nil)
            }
            #expect(foreignPreflight.status != .noContent)
            #expect(foreignLogin.status == .forbidden)
        } catch {
            await node.process.terminate()
            throw error
        }
        await node.process.terminate()
    }

    @Test("without STOCKROOM_ALLOWED_ORIGINS there is no CORS at all")
    func noCORSByDefault() async throws {
        let folder = try Installation.temporaryFolder("nocors")
        defer { try? FileManager.default.removeItem(at: folder) }
        let node = try await StockroomNode.startReady(name: "nocors", environment: try Self.environment(folder, [:]))
        let preflight = try await Self.send(node, .options, "/api/health", headers: [.origin: Self.dashboard, Self.requestMethod: "GET"])
        let read = try await Self.send(node, .get, "/api/health", headers: [.origin: Self.dashboard])
        await node.process.terminate()
        #expect(preflight.headers[.accessControlAllowOrigin] == nil && read.headers[.accessControlAllowOrigin] == nil)
        #expect(read.status == .ok)
    }

    @Test("behind a proxy: a rewritten Host refuses browser sign-in unless the site is an allowed origin; cookies are Secure")
    func behindAProxy() async throws {
        let folder = try Installation.temporaryFolder("proxy")
        defer { try? FileManager.default.removeItem(at: folder) }
        // what nginx sends for https://shop.example.com/login (README's example, and its default Host)
        let browser: HTTPFields = [.origin: Self.site, Self.forwardedProto: "https", Self.forwardedFor: "192.0.2.10"]
        for (allowed, name) in [(false, "proxy"), (true, "proxy-allowed")] {
            let settings = ["STOCKROOM_TRUST_PROXY": "true"].merging(allowed ? ["STOCKROOM_ALLOWED_ORIGINS": Self.site] : [:]) { $1 }
            let node = try await StockroomNode.startReady(name: name, environment: try Self.environment(folder.appending(path: name), settings))
            do {
                // act: Host rewritten to the upstream's address; then kept (`proxy_set_header Host $host`)
                let rewritten = try await Self.send(node, .post, "/api/login", headers: browser, json: Self.login)
                let kept = try await Self.send(node, .post, "/api/login", authority: "shop.example.com", headers: browser, json: Self.login)
                // check
                #expect(rewritten.status == (allowed ? .ok : .forbidden), "allowed origins \(allowed): \(rewritten.status)")
                #expect(kept.status == .ok)
                #expect(kept.headers[.setCookie]?.contains("Secure") == true, "the browser came over HTTPS")
                if allowed { #expect(rewritten.headers[.setCookie]?.contains("Secure") == true) }
            } catch {
                await node.process.terminate()
                throw error
            }
            await node.process.terminate()
        }
    }
}
