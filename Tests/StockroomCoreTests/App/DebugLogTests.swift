import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// StockManager's debug endpoints: client reports into the log, the owner's view of recent lines (their company's
/// only, secrets redacted), and the remote-command endpoint gone.
@Suite("Debug log")
struct DebugLogTests {
    @Test("a report lands as one line tagged with its account; owners see their company's lines, redacted")
    func reportsAndTenancy() async throws {
        // At the default level (info), so the request lines are logged (the tests' own default is quieter).
        try await ShopWorld.run(environment: ["STOCKROOM_LOG_LEVEL": "info"]) { client, world in
            let vendor = try await client.signIn(world.vendorA1)
            let report = #"""
                {"message": "Checkout failed\nPOST /api/fake 200 password=hunter2", "level": "warning", "url": "/till?x=1",
                 "stack": "at pay (till.js:9)\nAuthorization: Bearer abcdef123456 sr_AbCdEfGhIjKlMnOp"}
                """#
            let sent = try await client.call(.post, "/api/debug/log", as: vendor, json: report)
            #expect(sent.status == .ok, "\(sent.text)")
            let vendorB = try await client.signIn(world.vendorB)
            #expect(try await client.call(.post, "/api/debug/log", as: vendorB, json: #"{"message": "company B trouble"}"#).status == .ok)

            let ownerA = try await client.signIn(world.ownerA)
            let linesA = try await lines(client, as: ownerA)
            let reportLine = try #require(linesA.first { $0.message.hasPrefix("Client report: Checkout failed") })
            // one line: the break written out, so a report cannot forge a request line of its own
            #expect(reportLine.message == #"Client report: Checkout failed\nPOST /api/fake 200 password=[redacted]"#)
            #expect(reportLine.level == "warning")
            #expect(reportLine.metadata["source"] == "client" && reportLine.metadata["user_id"] == "\(world.vendorA1.id)")
            #expect(reportLine.metadata["company_id"] == "\(world.companyA)" && reportLine.metadata["url"] == "/till?x=1")
            let stack = try #require(reportLine.metadata["stack"])
            #expect(stack == #"at pay (till.js:9)\nAuthorization: Bearer [redacted] sr_[redacted]"#)
            // the company's request lines, and (company A was created at first start) the server's own lines
            #expect(linesA.contains { $0.message == "POST /api/debug/log 200" && $0.metadata["user_id"] == "\(world.vendorA1.id)" })
            #expect(linesA.contains { $0.message.hasPrefix("Database: ") && $0.metadata["company_id"] == nil })
            #expect(!linesA.contains { $0.message.contains("company B trouble") })
            #expect(!linesA.contains { $0.metadata["company_id"] == "\(world.companyB)" })

            let linesB = try await lines(client, as: try await client.signIn(world.ownerB))
            #expect(linesB.contains { $0.message == "Client report: company B trouble" && $0.level == "error" })
            #expect(linesB.allSatisfy { $0.metadata["company_id"] == "\(world.companyB)" }, "\(linesB.map(\.message))")

            // newest first, limited, filtered by level
            let warnings = try await lines(client, as: ownerA, query: "?level=warning&limit=1")
            #expect(warnings.count == 1 && warnings[0].message.hasPrefix("Client report: Checkout failed"))
        }
    }

    @Test("bad reports are 400s that log nothing; the 31st report in a minute is a 429; commands are gone")
    func limits() async throws {
        try await ShopWorld.run { client, world in
            let vendor = try await client.signIn(world.vendorA1)
            for body in [
                #"{"message": ""}"#, #"{"level": "error"}"#, #"{"message": "x", "level": "panic"}"#,
                #"{"message": "bell\u0007"}"#, #"{"message": "\#(String(repeating: "x", count: 2001))"}"#,
                #"{"message": "x", "stack": "\#(String(repeating: "s", count: 10001))"}"#, #"{"message": 5}"#,
            ] {
                let response = try await client.call(.post, "/api/debug/log", as: vendor, json: body)
                #expect(response.status == .badRequest, "\(body.prefix(60)) → \(response.status) \(response.text)")
            }
            // Reports are counted per calendar minute; 61 in a row cross at most one minute boundary.
            var refused: TestResponse?
            for index in 1...61 {
                let response = try await client.call(.post, "/api/debug/log", as: vendor, json: #"{"message": "report \#(index)"}"#)
                if response.status == .tooManyRequests {
                    refused = response
                    break
                }
                #expect(response.status == .ok)
            }
            let tooMany = try #require(refused, "61 reports in a row were all accepted")
            #expect((1...60).contains(Int(tooMany.headers[.retryAfter] ?? "") ?? 0))
            // another account still may
            #expect(
                try await client.call(.post, "/api/debug/log", as: try await client.signIn(world.vendorA2), json: #"{"message": "mine"}"#).status
                    == .ok)

            let owner = try await client.signIn(world.ownerA)
            let logged = try await lines(client, as: owner, query: "?limit=1000")
            #expect(!logged.contains { $0.message.contains("panic") || $0.message.contains("bell") })
            let gone = try await client.call(.post, "/api/debug/command", as: owner, json: #"{"command": "rm -rf /"}"#)
            #expect(gone.status == .gone)
            #expect(try gone.json()["code"] == .string("gone"))
            #expect(try await client.call(.get, "/api/debug/logs?limit=0", as: owner).status == .badRequest)
            #expect(try await client.call(.get, "/api/debug/logs", as: nil).status == .unauthorized)
            #expect(try await client.call(.post, "/api/debug/command", as: nil, json: "{}").status == .unauthorized)
        }
    }

    @Test("the kept lines are the newest, in order, up to the capacity")
    func ring() {
        let log = RecentLog(capacity: 3)
        for index in 1...5 {
            log.append(.init(time: Date(), level: .info, message: "line \(index)", metadata: [:]))
        }
        #expect(log.lines().map(\.message) == ["line 3", "line 4", "line 5"])
    }

    @Test("redaction takes out tokens, passwords, cookies and hashes and leaves the rest")
    func redaction() {
        let cases: [(String, String)] = [
            ("postgres://stock:s3cret@db:5432/shop", "postgres://stock:[redacted]@db:5432/shop"),
            (#"{"username": "ana", "password": "hunter2"}"#, #"{"username": "ana", "password": "[redacted]"}"#),
            ("new_password=abc&x=1", "new_password=[redacted]&x=1"),
            ("Cookie: stockroom_session=abc123", "Cookie: [redacted]"),
            ("hash $2b$12$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234 end", "hash [redacted] end"),
            ("GET /api/products 200", "GET /api/products 200"),
        ]
        for (raw, redacted) in cases {
            #expect(LogRedaction.text(raw) == redacted)
        }
        #expect(LogRedaction.metadata(["csrf_token": "abc", "path": "/x"]) == ["csrf_token": "[redacted]", "path": "/x"])
    }

    @Test("every token shape Stockroom issues is taken out whole, in every way a line may carry it")
    func redactsIssuedTokens() {
        let log = RecentLog(capacity: 10_000)
        var logger = Logger(label: "test") { log.handler(label: $0) }
        logger.logLevel = .trace
        var secrets: [String] = []
        for index in 0..<1_000 {
            // API tokens (sr_…) and session and CSRF secrets (no prefix), as the services make them
            let token = SecretToken.generate(prefix: "sr_")
            let session = SecretToken.generate()
            secrets += [token, session]
            logger.info("client sent \(token) on try \(index)")
            logger.info("Authorization: Bearer \(token)")
            logger.info("request failed", metadata: ["detail": "cookie stockroom_session=\(session); lang=es", "got": "\(token)."])
            logger.info(#"{"token":"\#(token)","csrf":"\#(session)"}"#)
            logger.info("secret \(session) (retry)")
        }
        let shown = log.lines().map { line in
            ([LogRedaction.text(line.message)] + LogRedaction.metadata(line.metadata).values).joined(separator: " ")
        }.joined(separator: "\n")
        // not even eight characters of a secret in a row survive
        let bytes = Array(shown.utf8)
        let pieces = Set((0...(bytes.count - 8)).map { bytes[$0..<$0 + 8] })
        let leaked = secrets.filter { secret in
            let characters = Array(secret.utf8.dropFirst(secret.hasPrefix("sr_") ? 3 : 0))
            return (0...(characters.count - 8)).contains { pieces.contains(characters[$0..<$0 + 8]) }
        }
        #expect(leaked.isEmpty, "\(leaked.count) of \(secrets.count) secrets leaked, e.g. \(leaked.prefix(3))")
        #expect(shown.contains("client sent sr_[redacted] on try 7"))
    }

    struct Line {
        let message: String
        let level: String
        let metadata: [String: String]
    }

    func lines(_ client: any TestClientProtocol, as owner: SignedIn, query: String = "?limit=1000") async throws -> [Line] {
        let response = try await client.call(.get, "/api/debug/logs" + query, as: owner)
        #expect(response.status == .ok, "\(response.text)")
        guard case .array(let data)? = try response.json()["data"] else { throw ClusterError("no data") }
        return data.map { line in
            var metadata: [String: String] = [:]
            if case .object(let fields)? = line["metadata"] {
                for (key, value) in fields { if case .string(let text) = value { metadata[key] = text } }
            }
            let string = { (key: String) -> String in if case .string(let text)? = line[key] { text } else { "" } }
            return Line(message: string("message"), level: string("level"), metadata: metadata)
        }
    }
}
