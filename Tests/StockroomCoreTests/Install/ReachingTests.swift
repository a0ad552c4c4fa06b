import ChildProcesses
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import NIOSSL
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// README, "Reach it from the shop's tablets": HTTPS of its own from a certificate and key, cookies `Secure` under it,
/// and a warning when plain HTTP is served on an address other machines reach.
@Suite("Reaching the server", .serialized)
struct ReachingTests {
    /// A self-signed certificate for localhost and 127.0.0.1, made with openssl as an operator would.
    static func selfSignedCertificate(in folder: URL) async throws -> (certificate: String, key: String) {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let certificate = folder.appending(path: "cert.pem").path
        let key = folder.appending(path: "key.pem").path
        try await ChildProcess.run(
            "/usr/bin/openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "2",
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            ])
        return (certificate, key)
    }

    /// One request over TLS, trusting only `certificate`.
    static func request(
        port: Int, trusting certificate: String, _ method: HTTPRequest.Method, _ path: String, json: String? = nil
    ) async throws -> TestClient.Response {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(certificate))
        let headers: HTTPFields = json == nil ? [:] : [.contentType: "application/json"]
        let request = TestClient.Request(
            path, method: method, authority: "localhost:\(port)", headers: headers, body: json.map { ByteBuffer(string: $0) })
        return try await TestClient.withClient(host: "127.0.0.1", port: port, configuration: .init(tlsConfiguration: tls, serverName: "localhost")) {
            try await $0.execute(request)
        }
    }

    @Test("with a certificate and key it serves HTTPS only, on every address without a warning, and its cookies are Secure")
    func servesHTTPS() async throws {
        // setup
        let folder = try Installation.temporaryFolder("tls")
        defer { try? FileManager.default.removeItem(at: folder) }
        let (certificate, key) = try await Self.selfSignedCertificate(in: folder)
        let node = try StockroomNode.start(
            name: "tls",
            environment: [
                "STOCKROOM_HOST": "0.0.0.0", "STOCKROOM_TLS_CERT": certificate, "STOCKROOM_TLS_KEY": key,
                "STOCKROOM_DATABASE_URL": "sqlite://\(folder.path)/shop.sqlite", "STOCKROOM_ADMIN_PASSWORD": TestDatabase.ownerPassword,
                "STOCKROOM_BCRYPT_COST": "4",
            ])
        do {
            // act: wait until it answers over HTTPS (a client that trusts only this certificate)
            var ready: TestClient.Response?
            for _ in 0..<600 where ready?.status != .ok && node.process.exitStatus == nil {
                ready = try? await Self.request(port: node.port, trusting: certificate, .get, "/api/health/ready")
                if ready?.status != .ok { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(ready?.status == .ok, "\(node.process.output)")
            let login = try await Self.request(
                port: node.port, trusting: certificate, .post, "/api/login",
                json: #"{"username":"admin","password":"\#(TestDatabase.ownerPassword)"}"#)
            let plain = try? await node.request(.get, "/api/health")

            // check
            #expect(login.status == .ok)
            let cookie = try #require(login.headers[.setCookie])
            #expect(cookie.hasPrefix("\(Authenticator.cookieName)=") && cookie.contains("Secure") && cookie.contains("HttpOnly"), "\(cookie)")
            #expect(plain?.status != .ok, "plain HTTP on the HTTPS port is not served")
            let curl = try await ChildProcess.run("/usr/bin/curl", ["-sS", "--cacert", certificate, "https://localhost:\(node.port)/api/health"])
            #expect(curl == #"{"status":"Ok"}"#, "another TLS client, curl, trusts it the same way: \(curl)")
            #expect(node.process.output.contains("to listen on https://0.0.0.0:\(node.port)"), "\(node.process.output)")
            #expect(!node.process.output.contains("Serving plain HTTP"), "\(node.process.output)")
        } catch {
            await node.process.terminate()
            print([node].logs)
            throw error
        }
        #expect(await node.process.terminate() == 0)
    }

    @Test("plain HTTP on an address other machines reach starts with a warning; on loopback it does not")
    func warnsAboutPlainHTTPOnTheNetwork() async throws {
        for (host, warned) in [("0.0.0.0", true), ("127.0.0.1", false)] {
            let folder = try Installation.temporaryFolder("plain")
            defer { try? FileManager.default.removeItem(at: folder) }
            let node = try await StockroomNode.startReady(
                name: "plain",
                environment: [
                    "STOCKROOM_HOST": host, "STOCKROOM_DATABASE_URL": "sqlite://\(folder.path)/shop.sqlite",
                    "STOCKROOM_ADMIN_PASSWORD": TestDatabase.ownerPassword, "STOCKROOM_BCRYPT_COST": "4",
                ])
            let output = node.process.output
            await node.process.terminate()
            #expect(output.contains("Serving plain HTTP on \(host)") == warned, "\(host): \(output)")
            #expect(output.contains("to listen on http://\(host):\(node.port)"), "\(output)")
        }
    }

    @Test("a certificate without its key, or a file that is not one, stops the start with the variable's name")
    func badTLSSettings() async throws {
        let folder = try Installation.temporaryFolder("badtls")
        defer { try? FileManager.default.removeItem(at: folder) }
        let notPEM = folder.appending(path: "cert.pem").path
        try "not a certificate".write(toFile: notPEM, atomically: true, encoding: .utf8)
        let (_, key) = try await Self.selfSignedCertificate(in: folder.appending(path: "real"))
        let cases: [([String: String], String)] = [
            (["STOCKROOM_TLS_CERT": notPEM], "STOCKROOM_TLS_CERT and STOCKROOM_TLS_KEY go together"),
            (["STOCKROOM_TLS_CERT": notPEM, "STOCKROOM_TLS_KEY": key], "STOCKROOM_TLS_CERT=\(notPEM) is not a PEM certificate chain"),
            (["STOCKROOM_TLS_CERT": notPEM, "STOCKROOM_TLS_KEY": folder.appending(path: "missing.pem").path], "STOCKROOM_TLS_KEY="),
        ]
        for (settings, message) in cases {
            let node = try StockroomNode.start(
                name: "badtls",
                environment: settings.merging([
                    "STOCKROOM_DATABASE_URL": "sqlite://\(folder.path)/shop.sqlite", "STOCKROOM_ADMIN_PASSWORD": TestDatabase.ownerPassword,
                ]) { $1 })
            while node.process.exitStatus == nil { try await Task.sleep(for: .milliseconds(50)) }
            #expect(node.process.exitStatus == 1, "\(node.process.output)")
            #expect(node.process.output.contains(message), "\(node.process.output)")
        }
    }
}
