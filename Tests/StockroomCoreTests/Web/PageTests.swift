import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// The staff pages over HTTP: sign-in by form, who sees what, languages, escaping and the bundled assets.
@Suite("Staff pages")
struct PageTests {
    @Test("sign in with the form, land on the dashboard, open the till, sign out")
    func signInFlow() async throws {
        try await ShopWorld.run { client, world in
            #expect(try await client.call(.get, "/", as: nil).headers[.location] == "/login", "signed out: to the sign-in page")
            let page = try await client.call(.get, "/login", as: nil)
            #expect(
                page.status == .ok && page.headers[.contentType] == "text/html; charset=utf-8"
                    && page.text.contains(#"<form method="post" action="/login""#))

            let wrong = try await client.execute(
                uri: "/login", method: .post, headers: Self.form, body: ByteBuffer(string: "username=admin&password=nope-nope"))
            #expect(wrong.status == .unauthorized && String(buffer: wrong.body).contains("Check your username and password."))
            #expect(wrong.headers[.setCookie] == nil)

            let password = TestDatabase.ownerPassword.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let signedIn = try await client.execute(
                uri: "/login", method: .post, headers: Self.form, body: ByteBuffer(string: "username=admin&password=\(password)"))
            #expect(signedIn.status == .seeOther && signedIn.headers[.location] == "/")
            let cookie = try #require(signedIn.headers[.setCookie]?.split(separator: ";").first.map(String.init))
            let session: HTTPFields = [.cookie: cookie]

            let dashboard = String(buffer: try await client.execute(uri: "/", method: .get, headers: session).body)
            #expect(dashboard.contains(#"<strong id="sales-today">0</strong>"#) && dashboard.contains(#"name="csrf-token""#))
            let till = String(buffer: try await client.execute(uri: "/till", method: .get, headers: session).body)
            #expect(till.contains(#"<script src="/assets/till.js"></script>"#) && till.contains(#"id="checkout""#))

            // a vendor has no dashboard figures: the till only
            let vendor = try await client.signIn(world.vendorA1)
            let vendorHome = String(
                buffer: try await client.execute(uri: "/", method: .get, headers: [.cookie: "\(Authenticator.cookieName)=\(vendor.cookie)"]).body)
            #expect(!vendorHome.contains("sales-today") && vendorHome.contains(#"<a href="/till">"#))

            let out = try await client.execute(uri: "/logout", method: .post, headers: session.merging([.origin: "http://localhost"]))
            #expect(out.status == .seeOther && out.headers[.location] == "/login")
            #expect(try await client.execute(uri: "/", method: .get, headers: session).headers[.location] == "/login", "the session ended")
        }
    }

    @Test("a sign-in form posted from another site is refused")
    func loginCSRF() async throws {
        try await ShopWorld.run { client, _ in
            var headers = Self.form
            headers[.origin] = "https://evil.example"
            let response = try await client.execute(
                uri: "/login", method: .post, headers: headers,
                body: ByteBuffer(string: "username=admin&password=\(TestDatabase.ownerPassword)"))
            #expect(response.status == .forbidden && response.headers[.setCookie] == nil)
        }
    }

    @Test("Spanish from the browser or the switch; names are HTML-escaped")
    func languageAndEscaping() async throws {
        try await ShopWorld.run { client, world in
            let owner = try await client.signIn(world.ownerA)
            _ = try await client.createProduct(as: owner, barcode: "XSS", name: "<script>alert(1)</script>", quantity: 1, minQuantity: 5)
            let cookie: HTTPFields = [.cookie: "\(Authenticator.cookieName)=\(owner.cookie)"]
            let english = String(buffer: try await client.execute(uri: "/", method: .get, headers: cookie).body)
            #expect(english.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !english.contains("<script>alert(1)"))
            #expect(english.contains(#"<html lang="en" "#) && english.contains("Low stock"))

            var browser = cookie
            browser[.acceptLanguage] = "es-ES,es;q=0.9,en;q=0.8"
            let spanish = String(buffer: try await client.execute(uri: "/", method: .get, headers: browser).body)
            #expect(spanish.contains(#"<html lang="es" "#) && spanish.contains("Stock bajo") && spanish.contains("Caja"))

            let switched = try await client.execute(uri: "/language/es?back=/till", method: .get, headers: cookie)
            #expect(switched.headers[.location] == "/till" && switched.headers[.setCookie]?.hasPrefix("stockroom_lang=es") == true)
            let offsite = try await client.execute(uri: "/language/en?back=//evil.example", method: .get, headers: cookie)
            #expect(offsite.headers[.location] == "/", "never redirects off the site")
            #expect(try await client.execute(uri: "/language/fr", method: .get, headers: cookie).status == .notFound)
        }
    }

    @Test("assets are served from the build; nothing outside public/")
    func assets() async throws {
        try await ShopWorld.run { client, _ in
            let css = try await client.execute(uri: "/assets/app.css", method: .get)
            #expect(css.status == .ok && css.headers[.contentType] == "text/css; charset=utf-8" && String(buffer: css.body).contains(":root"))
            #expect(try await client.execute(uri: "/assets/till.js", method: .get).headers[.contentType] == "text/javascript; charset=utf-8")
            for path in ["/assets/..%2Ftemplates%2Flayout.mustache", "/assets/layout.mustache", "/assets/missing.css"] {
                #expect(try await client.execute(uri: path, method: .get).status == .notFound, "\(path)")
            }
        }
    }

    @Test("an asset the browser has is answered 304 by its ETag; HEAD names its size without the body")
    func assetRevalidation() async throws {
        try await ShopWorld.run { client, _ in
            let first = try await client.execute(uri: "/assets/till.js", method: .get)
            let tag = try #require(first.headers[.eTag])
            #expect(first.headers[.cacheControl] == "public, max-age=300" && first.headers[.lastModified] != nil)
            let again = try await client.execute(uri: "/assets/till.js", method: .get, headers: [.ifNoneMatch: tag])
            #expect(again.status == .notModified && again.body.readableBytes == 0)
            let changed = try await client.execute(uri: "/assets/till.js", method: .get, headers: [.ifNoneMatch: "\"another\""])
            #expect(changed.status == .ok && changed.body == first.body)
            let head = try await client.execute(uri: "/assets/till.js", method: .head)
            #expect(head.status == .ok && head.headers[.contentLength] == String(first.body.readableBytes) && head.body.readableBytes == 0)
        }
    }

    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
}

extension HTTPFields {
    func merging(_ other: HTTPFields) -> HTTPFields {
        var merged = self
        for field in other { merged[field.name] = field.value }
        return merged
    }
}
