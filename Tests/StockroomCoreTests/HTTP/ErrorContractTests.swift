import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// Every `/api` error is JSON `{"error", "code"}` with the right status, whatever produced it.
@Suite("Error contract")
struct ErrorContractTests {
    struct Quantity: Decodable {
        var name: String
        var quantity: Int
    }

    struct SecretFailure: Error, CustomStringConvertible {
        var description: String { "connection string postgres://root:hunter2@db failed" }
    }

    /// The real application with a few probe routes behind the same middleware.
    func app() async throws -> some ApplicationProtocol {
        try await TestApp.build { router, _ in
            let probe = router.group("api/probe")
            probe.post("echo") { request, context -> String in
                let body = try await request.decode(as: Quantity.self, context: context)
                return "\(body.name)×\(body.quantity)"
            }
            probe.get("status/:code") { _, context -> String in
                switch try context.parameters.require("code", as: Int.self) {
                case 401: throw ShopError.unauthorized()
                case 403: throw ShopError.forbidden()
                case 409: throw ShopError.conflict("Barcode already exists", code: "duplicate_barcode")
                case 422: throw ShopError.unprocessable("You cannot deactivate yourself", code: "cannot_deactivate_self")
                case 429: throw ShopError.tooManyRequests("Too many attempts", retryAfterSeconds: 30)
                default: return "ok"
                }
            }
            probe.get("crash") { _, _ -> String in throw SecretFailure() }
        }
    }

    func expectError(_ response: TestResponse, _ status: HTTPResponse.Status, code: String, sourceLocation: SourceLocation = #_sourceLocation) throws
    {
        #expect(response.status == status, sourceLocation: sourceLocation)
        #expect(response.headers[.contentType]?.hasPrefix("application/json") == true, sourceLocation: sourceLocation)
        let body = try response.json()
        #expect(body["code"] == .string(code), "\(body)", sourceLocation: sourceLocation)
        guard case .string(let message)? = body["error"], !message.isEmpty else {
            Issue.record("no error message in \(body)", sourceLocation: sourceLocation)
            return
        }
        #expect(response.headers[.requestID] != nil, sourceLocation: sourceLocation)
    }

    @Test("malformed JSON, missing and mistyped fields answer 400 naming the problem")
    func badRequests() async throws {
        try await app().test(.router) { client in
            let cases: [(String, String, String?)] = [
                (#"{"name": "tea", "quantity": "#, "malformed_json", nil),
                ("[1, 2]", "malformed_json", nil),
                (#"{"name": "tea"}"#, "missing_field", "quantity"),
                (#"{"name": "tea", "quantity": "three"}"#, "invalid_field", "quantity"),
                (#"{"name": null, "quantity": 3}"#, "invalid_field", "name"),
                ("", "missing_body", nil),
            ]
            for (body, code, field) in cases {
                let response = try await client.execute(uri: "/api/probe/echo", method: .post, headers: .json, body: .init(json: body))
                try expectError(response, .badRequest, code: code)
                if let field { #expect(try response.json()["field"] == .string(field)) }
            }
            let ok = try await client.execute(
                uri: "/api/probe/echo", method: .post, headers: .json, body: .init(json: #"{"name":"tea","quantity":3}"#))
            #expect(ok.status == .ok)
            #expect(ok.text == "tea×3")
        }
    }

    @Test("unknown routes answer a JSON 404, inside and outside /api")
    func unknownRoutes() async throws {
        try await app().test(.router) { client in
            for uri in ["/api/nope", "/api/health/extra/deep", "/nope"] {
                try expectError(try await client.execute(uri: uri, method: .get), .notFound, code: "not_found")
            }
        }
    }

    @Test("a known path with the wrong method answers 405 with Allow")
    func wrongMethod() async throws {
        try await app().test(.router) { client in
            let response = try await client.execute(uri: "/api/health", method: .delete)
            try expectError(response, .methodNotAllowed, code: "method_not_allowed")
            #expect(response.headers[.allow] == "GET")
            let echo = try await client.execute(uri: "/api/probe/echo", method: .get)
            #expect(echo.status == .methodNotAllowed)
            #expect(echo.headers[.allow] == "POST")
            let captured = try await client.execute(uri: "/api/probe/status/401", method: .post)
            #expect(captured.headers[.allow] == "GET", "paths with parameters match too")
            // a literal segment shadows a capture: DELETE /api/notifications/{id} is not what answers at /create
            let shadowed = try await client.execute(uri: "/api/notifications/create", method: .delete)
            #expect(shadowed.status == .methodNotAllowed && shadowed.headers[.allow] == "POST")
            let deletable = try await client.execute(uri: "/api/notifications/7", method: .get)
            #expect(deletable.status == .methodNotAllowed && deletable.headers[.allow] == "DELETE")
        }
    }

    @Test("a body over the limit answers 413; a non-JSON content type 415")
    func sizeAndMediaType() async throws {
        try await app().test(.router) { client in
            let huge = #"{"name": ""# + String(repeating: "x", count: 2 * 1024 * 1024) + #"", "quantity": 1}"#
            try expectError(
                try await client.execute(uri: "/api/probe/echo", method: .post, headers: .json, body: .init(json: huge)),
                .contentTooLarge, code: "payload_too_large")
            try expectError(
                try await client.execute(
                    uri: "/api/probe/echo", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                    body: .init(string: "name=tea&quantity=3")),
                .unsupportedMediaType, code: "unsupported_media_type")
        }
    }

    @Test(
        "errors raised by handlers keep their status and code",
        arguments: [
            (401, "unauthorized"), (403, "forbidden"), (409, "duplicate_barcode"), (422, "cannot_deactivate_self"), (429, "too_many_requests"),
        ])
    func handlerErrors(status: Int, code: String) async throws {
        try await app().test(.router) { client in
            let response = try await client.execute(uri: "/api/probe/status/\(status)", method: .get)
            try expectError(response, HTTPResponse.Status(code: status), code: code)
            if status == 429 {
                #expect(response.headers[.retryAfter] == "30")
            }
        }
    }

    @Test("an unexpected error answers 500 with the request id and no internals")
    func internalError() async throws {
        try await app().test(.router) { client in
            let response = try await client.execute(uri: "/api/probe/crash", method: .get)
            try expectError(response, .internalServerError, code: "internal_error")
            #expect(!response.text.contains("hunter2"))
            #expect(!response.text.contains("SecretFailure"))
            #expect(try response.json()["request_id"] == response.headers[.requestID].map(JSONValue.string))
        }
    }

    @Test("a unique index broken by a race answers 409, not 500", arguments: Engine.allCases)
    func uniqueViolation(engine: Engine) async throws {
        try await TestApp.build(engine) { router, dependencies in
            router.post("api/probe/duplicate") { _, _ -> String in
                try await dependencies.database.withTransaction { transaction in
                    try await transaction.db.raw(
                        """
                        INSERT INTO users (company_id, store_id, username, email, password_hash, role, status, created_at, updated_at)
                        SELECT company_id, store_id, 'ADMIN', 'other@example.com', 'x', 'vendor', 'active', 0, 0 FROM users LIMIT 1
                        """
                    ).run()
                }
                return "inserted"
            }
        }.test(.router) { client in
            try expectError(try await client.execute(uri: "/api/probe/duplicate", method: .post), .conflict, code: "conflict")
        }
    }

    @Test("a bad id in a path answers 400, not 500")
    func badPathParameter() async throws {
        try await app().test(.router) { client in
            let response = try await client.execute(uri: "/api/probe/status/abc", method: .get)
            try expectError(response, .badRequest, code: "bad_request")
        }
    }
}
