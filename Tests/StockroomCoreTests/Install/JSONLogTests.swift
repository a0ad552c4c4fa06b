import Foundation
import HTTPTypes
import HummingbirdTesting
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// `STOCKROOM_LOG_FORMAT=json`: what a log collector reads from a running server.
@Suite("Logs for machines")
struct JSONLogTests {
    @Test("every line is one JSON object; a request's line has its request id, company and user; secrets are redacted")
    func jsonLines() async throws {
        // setup
        let folder = try Installation.temporaryFolder("jsonlog")
        defer { try? FileManager.default.removeItem(at: folder) }
        let token = "sr_" + String(repeating: "q", count: 43)
        let node = try await StockroomNode.startReady(
            name: "jsonlog",
            environment: [
                "STOCKROOM_LOG_FORMAT": "json", "STOCKROOM_DATABASE_URL": "sqlite://\(folder.path)/shop.sqlite",
                "STOCKROOM_ADMIN_PASSWORD": TestDatabase.ownerPassword, "STOCKROOM_BCRYPT_COST": "4",
            ])
        // act: a signed-in read, and a page's error report that carries a token
        let cookie: String
        let me: TestClient.Response
        do {
            cookie = try await node.signIn("admin", TestDatabase.ownerPassword)
            me = try await node.request(.get, "/api/me", cookie: cookie)
            let report = try await node.request(
                .post, "/api/debug/log", cookie: cookie, json: #"{"message": "fetch failed with Authorization: Bearer \#(token)"}"#)
            #expect(report.status == .ok)
        } catch {
            await node.process.terminate()
            throw error
        }
        #expect(await node.process.terminate() == 0)

        // check: every line of the output (standard output and error) parses, with the fixed fields
        let lines = node.process.output.split(separator: "\n").filter { !$0.isEmpty }
        #expect(lines.count > 5)
        var objects: [[String: Any]] = []
        for line in lines {
            let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            #expect(object != nil, "not a JSON object: \(line)")
            if let object { objects.append(object) }
        }
        for object in objects {
            #expect(["time", "level", "label", "source", "message"].allSatisfy { object[$0] is String }, "\(object)")
            #expect((object["time"] as? String)?.wholeMatch(of: #/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/#) != nil)
        }
        // check: the request's line names the request (as X-Request-Id told the client), its company and its user
        let requestID = try #require(me.headers[HTTPField.Name("X-Request-Id")!])
        let line = try #require(objects.first { $0["message"] as? String == "GET /api/me 200" })
        #expect(line["request_id"] as? String == requestID)
        #expect(line["company_id"] as? String == "1" && line["user_id"] as? String == "1")
        #expect(line["level"] as? String == "info" && line["label"] as? String == "stockroom")
        #expect(line["duration_ms"] is String)
        // check: the token never reaches the collector
        #expect(!node.process.output.contains(token))
        #expect(
            objects.contains { ($0["message"] as? String)?.contains("Client report: fetch failed with Authorization: Bearer [redacted]") == true },
            "\(objects.compactMap { $0["message"] })")
    }
}
