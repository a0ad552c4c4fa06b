import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOConcurrencyHelpers
import NIOCore
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// The OpenAPI document (`Web/Resources/openapi/openapi.json`, served at `/api/openapi.yaml`) kept true: it describes
/// exactly the registered routes, its examples fit its schemas, and live responses fit them too.
@Suite("OpenAPI document")
struct OpenAPITests {
    @Test("every /api route and /metrics is documented with its method, and every documented operation is a route")
    func routesMatch() async throws {
        let box = RouterBox()
        let app = try await TestApp.build { router, _ in box.routes = router.routes.map { ($0.method.rawValue, $0.path.description) } }
        try await app.test(.router) { _ in }
        let registered = Set(
            box.routes.compactMap { method, path -> String? in
                let path = OpenAPI.normalized(path)
                return path.hasPrefix("/api/") || path == "/metrics" ? "\(method) \(path)" : nil
            })
        let spec = try OpenAPI.shared()
        let documented = Set(spec.operations.map(\.key))
        #expect(registered.count > 50, "the router's routes were not found: \(registered)")
        for missing in registered.subtracting(documented).sorted() {
            Issue.record("registered but not in openapi.json: \(missing)")
        }
        for extra in documented.subtracting(registered).sorted() {
            Issue.record("in openapi.json but not registered: \(extra)")
        }
        // No UI page is described as part of the API.
        #expect(spec.operations.allSatisfy { $0.path.hasPrefix("/api/") || $0.path == "/metrics" })
    }

    @Test("the document is OpenAPI 3.1 and complete: ids, summaries, tags, security, parameters, examples, error schema")
    func documentShape() throws {
        let spec = try OpenAPI.shared()
        #expect(spec.document["openapi"] == .string("3.1.0"))
        let schemes = spec.document["components"]?["securitySchemes"]
        #expect(schemes?["session"]?["name"] == .string(Authenticator.cookieName) && schemes?["session"]?["in"] == .string("cookie"))
        #expect(schemes?["csrf"]?["name"] == .string(CSRFCheck.headerName.rawName) && schemes?["csrf"]?["in"] == .string("header"))
        #expect(schemes?["bearer"]?["scheme"] == .string("bearer"))
        // Every $ref anywhere resolves.
        for reference in OpenAPI.references(in: spec.document) where spec.validator.resolve(reference) == nil {
            Issue.record("unresolvable $ref \(reference)")
        }
        var operationIDs: Set<String> = []
        for operation in spec.operations {
            let op = operation.object
            let key = operation.key
            guard case .string(let id)? = op["operationId"], !id.isEmpty else {
                Issue.record("\(key): no operationId")
                continue
            }
            #expect(operationIDs.insert(id).inserted, "\(key): operationId \(id) is used twice")
            #expect(op["summary"] != nil, "\(key): no summary")
            let tags = op["tags"]?.array ?? []
            #expect(tags.count > 0, "\(key): no tags")
            guard case .array(let security)? = op["security"] else {
                Issue.record("\(key): no security")
                continue
            }
            let isWrite = !["GET", "HEAD"].contains(operation.method)
            if !security.isEmpty && operation.path.hasPrefix("/api/") {
                let schemes = security.map { requirement -> Set<String> in
                    if case .object(let fields) = requirement { Set(fields.keys) } else { [] }
                }
                #expect(schemes.contains(isWrite ? ["session", "csrf"] : ["session"]) && schemes.contains(["bearer"]), "\(key): security \(schemes)")
            }
            // Path parameters: each {name} declared once, as a required path parameter, and nothing else declared in the path.
            let names = operation.path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) }
            let declared = (op["parameters"]?.array ?? []).filter { $0["in"] == .string("path") }
            #expect(
                Set(declared.compactMap { if case .string(let name)? = $0["name"] { name } else { nil } }) == Set(names)
                    && declared.count == names.count,
                "\(key): path parameters \(declared) for \(names)")
            for parameter in declared where parameter["required"] != .bool(true) {
                Issue.record("\(key): path parameter \(parameter) is not required")
            }
            // One success with a schema and an example; every 4xx answers the shared Error schema.
            guard case .object(let responses)? = op["responses"] else {
                Issue.record("\(key): no responses")
                continue
            }
            let successes = responses.keys.filter { $0.hasPrefix("2") }
            // A retired operation (deprecated, answering only 410) has no success to describe.
            let retired = op["deprecated"] == .bool(true) && responses["410"] != nil
            #expect(!successes.isEmpty || retired, "\(key): no success response")
            for status in successes {
                let content = spec.resolved(responses[status]!)["content"]
                guard case .object(let media)? = content, !media.isEmpty else {
                    Issue.record("\(key) \(status): no content")
                    continue
                }
                for (type, body) in media where body["schema"] == nil || body["example"] == nil {
                    Issue.record("\(key) \(status) \(type): needs a schema and an example")
                }
            }
            // The errors every route of its kind can answer: 401 for any /api route (a bad bearer token), 403 for any
            // write (the CSRF check), 400 for an integer path id, 400/413/415 for a required JSON body.
            var expected: Set<String> = operation.path.hasPrefix("/api/") ? ["401"] : []
            if isWrite { expected.insert("403") }
            if declared.contains(where: { $0["schema"]?["type"] == .string("integer") }) { expected.insert("400") }
            if op["requestBody"]?["required"] == .bool(true), op["requestBody"]?["content"]?["application/json"] != nil {
                expected.formUnion(["400", "413", "415"])
            }
            for status in expected.subtracting(responses.keys).sorted() {
                Issue.record("\(key): does not document \(status)")
            }
            for status in responses.keys where status.hasPrefix("4") || status.hasPrefix("5") {
                let schema = spec.resolved(responses[status]!)["content"]?["application/json"]?["schema"]
                #expect(schema == .object(["$ref": .string("#/components/schemas/Error")]), "\(key) \(status): not the Error schema")
            }
        }
    }

    @Test("every example validates against its own schema, and a broken one does not")
    func examplesValidate() throws {
        let spec = try OpenAPI.shared()
        let validator = spec.strictValidator
        var checked = 0
        func check(_ schema: JSONValue?, _ example: JSONValue?, _ place: String) {
            guard let schema, let example else { return }
            checked += 1
            let errors = validator.validate(example, against: schema)
            #expect(errors.isEmpty, "\(place): the example does not fit its schema:\n\(errors.joined(separator: "\n"))")
        }
        func checkContent(_ content: JSONValue?, _ place: String) {
            guard case .object(let media)? = content else { return }
            for (type, body) in media { check(body["schema"], body["example"], "\(place) \(type)") }
        }
        for operation in spec.operations {
            let op = operation.object
            for parameter in op["parameters"]?.array ?? [] {
                check(
                    parameter["schema"], parameter["example"],
                    "\(operation.key) parameter \(parameter["name"].map(JSONSchemaValidator.describe) ?? "?")")
            }
            checkContent(op["requestBody"]?["content"], "\(operation.key) request body")
            if case .object(let responses)? = op["responses"] {
                for (status, response) in responses { checkContent(spec.resolved(response)["content"], "\(operation.key) \(status)") }
            }
        }
        if case .object(let responses)? = spec.document["components"]?["responses"] {
            for (name, response) in responses { checkContent(response["content"], "components/responses/\(name)") }
        }
        #expect(checked > 150, "only \(checked) examples were found")

        // The validator can fail: a product with a price as text, no id, an unknown status and an extra key.
        let product = try #require(spec.operation("GET", "/api/products/{id}")?["responses"]?["200"]?["content"]?["application/json"])
        guard case .object(var broken)? = product["example"] else { throw ClusterError("no product example") }
        broken["price"] = .string("25.50")
        broken["id"] = nil
        broken["status"] = .int(2)
        broken["colour"] = .string("green")
        broken["expiration_date"] = .string("31/03/2027")
        let errors = validator.validate(.object(broken), against: try #require(product["schema"]))
        #expect(errors.contains("$.price: expected number, got \"25.50\""), "\(errors)")
        #expect(errors.contains("$: missing required property 'id'"), "\(errors)")
        #expect(errors.contains { $0.hasPrefix("$.status: 2 is not one of") }, "\(errors)")
        #expect(errors.contains("$.colour: property 'colour' is not described by the schema"), "\(errors)")
        #expect(errors.contains("$.expiration_date: \"31/03/2027\" is not a valid date"), "\(errors)")
        #expect(errors.count == 5, "\(errors)")
        // …and the rest of what the document relies on.
        let sale = try #require(spec.schema("Sale"))
        guard case .object(var line)? = spec.operation("GET", "/api/sales/{id}")?["responses"]?["200"]?["content"]?["application/json"]?["example"]
        else {
            throw ClusterError("no sale example")
        }
        line["customer"] = .null
        #expect(validator.validate(.object(line), against: sale).isEmpty, "null where the schema allows it")
        line["customer"] = .int(3)
        line["total_quantity"] = .double(2.5)
        line["products"] = .array([.object(["product_id": .int(0)])])
        #expect(
            validator.validate(.object(line), against: sale) == [
                "$.customer: expected string or null, got 3",
                "$.products[0]: missing required property 'name'",
                "$.products[0]: missing required property 'quantity'",
                "$.products[0]: missing required property 'price'",
                "$.products[0]: missing required property 'subtotal'",
                "$.products[0].product_id: 0 is below the minimum 1",
                "$.total_quantity: expected integer, got 2.5",
            ])
        let choice: JSONValue = .object(["oneOf": .array([.object(["type": .string("integer")]), .object(["type": .string("number")])])])
        #expect(validator.validate(.double(1.5), against: choice).isEmpty)
        #expect(validator.validate(.int(2), against: choice) == ["$: matches 2 schemas of oneOf, not exactly one"])
        #expect(validator.validate(.string("2026-11-23T14:05:09Z"), against: .object(["format": .string("date-time")])).isEmpty)
        #expect(validator.validate(.string("2026-11-23 14:05"), against: .object(["format": .string("date-time")])).count == 1)
        #expect(validator.validate(.int(1), against: .object(["pattern": .string("^1$")])) == ["$: unsupported schema keyword 'pattern'"])
    }

    @Test("GET /api/openapi.yaml and /api/openapi.json are public and serve the document")
    func served() async throws {
        let spec = try OpenAPI.shared()
        try await TestApp.build().test(.router) { client in
            for (path, type) in [("/api/openapi.yaml", "application/yaml"), ("/api/openapi.json", "application/json")] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .ok, "\(path): \(response.text)")
                #expect(response.headers[.contentType]?.hasPrefix(type) == true, "\(path): \(response.headers[.contentType] ?? "no content type")")
                let served = try JSONDecoder().decode(JSONValue.self, from: Data(buffer: response.body))
                #expect(served == spec.document, "\(path) serves another document")
                // JSON is YAML 1.2 when it has no tab characters (YAML forbids them in indentation).
                #expect(!response.text.contains("\t") && response.text.hasPrefix("{"))
            }
        }
    }

    @Test(
        "a tour of the whole API: every documented operation is called and every response fits its documented schema",
        arguments: Engine.allCases)
    func liveResponses(engine: Engine) async throws {
        let spec = try OpenAPI.shared()
        let metricsToken = "metrics-token-for-the-openapi-tour"
        try await ShopWorld.run(engine, environment: ["STOCKROOM_METRICS_TOKEN": metricsToken]) { client, world in
            let tour = Tour(client: client, spec: spec)
            try await tour.run(world, metricsToken: metricsToken)
            let missed = Set(spec.operations.map(\.key)).subtracting(tour.covered)
            #expect(missed.isEmpty, "operations the tour never called: \(missed.sorted())")
            #expect(tour.calls > 120, "only \(tour.calls) calls")
        }
    }
}

/// Captures the router's routes while the application is built.
private final class RouterBox: @unchecked Sendable {
    var routes: [(String, String)] = []
}

// MARK: - The document

/// The OpenAPI document this build serves, with lookups for the tests.
struct OpenAPI: Sendable {
    struct Operation: Sendable {
        let method: String
        let path: String
        let object: JSONValue
        var key: String { "\(method) \(path)" }
    }

    let document: JSONValue
    let operations: [Operation]
    var validator: JSONSchemaValidator { JSONSchemaValidator(document: document) }
    var strictValidator: JSONSchemaValidator { JSONSchemaValidator(document: document, strictObjects: true) }

    static let methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]
    private static let cache = NIOLockedValueBox<OpenAPI?>(nil)

    /// The document in the build's resources, which is what the server serves.
    static func shared() throws -> OpenAPI {
        try cache.withLockedValue { cached in
            if let cached { return cached }
            let data = try #require(OpenAPIController.load(), "openapi/openapi.json is missing from the build's resources")
            let loaded = OpenAPI(document: try JSONDecoder().decode(JSONValue.self, from: data))
            cached = loaded
            return loaded
        }
    }

    init(document: JSONValue) {
        self.document = document
        var operations: [Operation] = []
        if case .object(let paths)? = document["paths"] {
            for (path, item) in paths {
                guard case .object(let methods) = item else { continue }
                for (method, object) in methods where Self.methods.contains(method) {
                    operations.append(Operation(method: method.uppercased(), path: path, object: object))
                }
            }
        }
        self.operations = operations.sorted { $0.key < $1.key }
    }

    func operation(_ method: String, _ path: String) -> JSONValue? {
        operations.first { $0.method == method && $0.path == path }?.object
    }

    func schema(_ name: String) -> JSONValue? {
        document["components"]?["schemas"]?[name]
    }

    /// A response or other object, following its `$ref` if it is one.
    func resolved(_ value: JSONValue) -> JSONValue {
        if case .string(let reference)? = value["$ref"], let target = validator.resolve(reference) { return target }
        return value
    }

    /// The documented template a concrete path is served by: segments match literally or by `{parameter}`, and the
    /// template with the most literal segments wins (`/api/store-inventory/store/1` is `/store/{storeId}`).
    func template(for path: String) -> String? {
        let segments = path.split(separator: "/")
        var best: (template: String, literals: Int)?
        for template in Set(operations.map(\.path)) {
            let parts = template.split(separator: "/")
            guard parts.count == segments.count else { continue }
            var literals = 0
            var matches = true
            for (part, segment) in zip(parts, segments) {
                if part.hasPrefix("{") { continue }
                if part != segment {
                    matches = false
                    break
                }
                literals += 1
            }
            if matches, literals > best?.literals ?? -1 { best = (template, literals) }
        }
        return best?.template
    }

    /// `/api/users/:id` → `/api/users/{id}`.
    static func normalized(_ path: String) -> String {
        "/" + path.split(separator: "/").map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
    }

    static func references(in value: JSONValue) -> [String] {
        switch value {
        case .object(let fields):
            var found: [String] = []
            if case .string(let reference)? = fields["$ref"] { found.append(reference) }
            for (_, child) in fields { found += references(in: child) }
            return found
        case .array(let items): return items.flatMap(references(in:))
        default: return []
        }
    }

    /// What is wrong with `response` to `method uri` by the document: an undocumented path, method, status or
    /// content type, or a JSON body that does not fit the documented schema. Empty when it fits.
    func problems(_ method: String, _ uri: String, _ response: TestResponse) -> (key: String?, problems: [String]) {
        let path = String(uri.split(separator: "?", maxSplits: 1).first ?? "")
        guard let template = template(for: path) else { return (nil, ["\(path) matches no documented path"]) }
        let key = "\(method) \(template)"
        guard let operation = operation(method, template) else { return (nil, ["\(key) is not documented"]) }
        let status = String(response.status.code)
        guard let documented = operation["responses"]?[status] else {
            return (key, ["\(key) answered \(status), which is not documented: \(response.text.prefix(300))"])
        }
        let mediaType =
            (response.headers[.contentType] ?? "").split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        guard case .object(let content)? = resolved(documented)["content"] else {
            return (key, response.body.readableBytes == 0 ? [] : ["\(key) \(status) has a body but the document describes none"])
        }
        guard let body = content[mediaType] else {
            return (key, ["\(key) \(status) answered \(mediaType), the document says \(content.keys.sorted())"])
        }
        guard mediaType == "application/json" else { return (key, []) }
        guard let schema = body["schema"] else { return (key, ["\(key) \(status): no schema"]) }
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(buffer: response.body))
        } catch {
            return (key, ["\(key) \(status): the body is not JSON: \(response.text.prefix(300))"])
        }
        let errors = strictValidator.validate(value, against: schema)
        return (key, errors.isEmpty ? [] : ["\(key) \(status) does not fit its schema:"] + errors + ["body: \(response.text.prefix(2000))"])
    }
}

// MARK: - The tour

/// Calls the API as a shop would use it and checks every answer against the document.
final class Tour: @unchecked Sendable {
    let client: any TestClientProtocol
    let spec: OpenAPI
    private let state = NIOLockedValueBox<(covered: Set<String>, calls: Int)>(([], 0))

    var covered: Set<String> { state.withLockedValue { $0.covered } }
    var calls: Int { state.withLockedValue { $0.calls } }

    init(client: any TestClientProtocol, spec: OpenAPI) {
        self.client = client
        self.spec = spec
    }

    /// Calls `method uri`, checks the answer against the document and, when `expect` is given, its status.
    @discardableResult
    func call(
        _ method: HTTPRequest.Method, _ uri: String, as session: SignedIn? = nil, json: String? = nil, body: ByteBuffer? = nil,
        headers extra: HTTPFields = [:], expect status: Int? = nil, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> TestResponse {
        var headers: HTTPFields = session.map { [.cookie: "\(Authenticator.cookieName)=\($0.cookie)"] } ?? [:]
        if json != nil { headers[.contentType] = "application/json" }
        if let session, method != .get { headers[CSRFCheck.headerName] = session.csrfToken }
        for field in extra { headers[field.name] = field.value }
        let response = try await client.execute(uri: uri, method: method, headers: headers, body: body ?? json.map { ByteBuffer(json: $0) })
        let (key, problems) = spec.problems(method.rawValue, uri, response)
        state.withLockedValue { state in
            state.calls += 1
            if let key { state.covered.insert(key) }
        }
        if !problems.isEmpty {
            Issue.record("\(method.rawValue) \(uri):\n\(problems.joined(separator: "\n"))", sourceLocation: sourceLocation)
        }
        if let status {
            #expect(
                Int(response.status.code) == status, "\(method.rawValue) \(uri) → \(response.status.code): \(response.text.prefix(500))",
                sourceLocation: sourceLocation)
        }
        return response
    }

    /// The call's JSON object body.
    func object(
        _ method: HTTPRequest.Method, _ uri: String, as session: SignedIn? = nil, json: String? = nil, headers: HTTPFields = [:],
        expect status: Int, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> JSONValue {
        let response = try await call(method, uri, as: session, json: json, headers: headers, expect: status, sourceLocation: sourceLocation)
        return try JSONDecoder().decode(JSONValue.self, from: Data(buffer: response.body))
    }

    func id(_ value: JSONValue?, _ what: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> Int64 {
        guard case .int(let id)? = value else { throw ClusterError("no \(what) in the answer") }
        return id
    }

    func run(_ world: ShopWorld, metricsToken: String) async throws {
        // Public operations.
        try await call(.get, "/api/health", expect: 200)
        try await call(.get, "/api/health/ready", expect: 200)
        try await call(.get, "/api/openapi.yaml", expect: 200)
        try await call(.get, "/api/openapi.json", expect: 200)
        try await call(.get, "/api/docs", expect: 200)
        try await call(.get, "/api/products", expect: 401)
        try await call(.get, "/api/me", headers: [.authorization: "Bearer not-a-token"], expect: 401)
        try await call(.get, "/api/notifications/stream", expect: 401)
        try await call(.post, "/api/login", json: #"{"username": "admin", "password": "wrong password"}"#, expect: 401)
        try await call(.post, "/api/login", json: #"{"username": "admin"}"#, expect: 400)
        try await call(.get, "/metrics", expect: 401)
        try await call(.get, "/metrics", headers: [.authorization: "Bearer \(metricsToken)"], expect: 200)

        let login = try await call(.post, "/api/login", json: #"{"username": "admin", "password": "\#(TestDatabase.ownerPassword)"}"#, expect: 200)
        #expect(login.headers[.setCookie]?.hasPrefix("\(Authenticator.cookieName)=") == true)
        let owner = try await client.signIn(world.ownerA)
        let admin = try await client.signIn(world.adminA1)
        let vendor = try await client.signIn(world.vendorA1)
        try await call(.get, "/api/me", as: owner, expect: 200)

        try await catalog(world, owner: owner, admin: admin, vendor: vendor)
        try await people(world, owner: owner, admin: admin, vendor: vendor)
        try await purchasing(world, owner: owner, admin: admin, vendor: vendor)
        try await transfers(world, owner: owner, admin: admin, vendor: vendor)
        try await returns(world, owner: owner, admin: admin, vendor: vendor)
        try await counts(world, owner: owner, admin: admin, vendor: vendor)
        try await valuation(world, owner: owner, admin: admin, vendor: vendor)

        try await call(.post, "/api/logout", as: try await client.signIn(world.vendorA2), expect: 200)
        try await call(.post, "/api/logout", expect: 200)
    }

    /// Categories, products, stock, sales, bills, import and export, reports.
    func catalog(_ world: ShopWorld, owner: SignedIn, admin: SignedIn, vendor: SignedIn) async throws {
        let drinks = try id(
            try await object(.post, "/api/categories", as: owner, json: #"{"name": "Drinks"}"#, expect: 201)["categoryId"], "categoryId")
        try await call(.post, "/api/categories", as: owner, json: #"{"name": "Drinks"}"#, expect: 409)
        try await call(.post, "/api/categories", as: owner, body: ByteBuffer(string: "name=Food"), headers: [.contentType: "text/plain"], expect: 415)
        try await call(.post, "/api/categories", as: owner, json: #"{"name": "#, expect: 400)
        try await call(.get, "/api/categories?limit=5&offset=0", as: vendor, expect: 200)
        try await call(.put, "/api/categories/\(drinks)", as: owner, json: #"{"name": "Hot drinks"}"#, expect: 200)
        try await call(.patch, "/api/categories/\(drinks)/deactivate", as: owner, expect: 200)
        try await call(.patch, "/api/categories/\(drinks)/activate", as: owner, expect: 200)
        try await call(.put, "/api/categories/999999", as: owner, json: #"{"name": "Ghost"}"#, expect: 404)

        let tea = try id(
            try await object(
                .post, "/api/products", as: owner,
                json: """
                    {"barcode": "7791234567890", "name": "Green tea", "description": "Loose leaf", "quantity": 40, "min_quantity": 5,
                     "price": 25.5, "cost": 15, "expiration_date": "2027-03-31", "category": "Hot drinks"}
                    """, expect: 201)["id"], "product id")
        let milk = try id(
            try await object(
                .post, "/api/products", as: admin,
                json: """
                    {"name": "Milk", "quantity": 6, "min_quantity": 5, "price": 1.25, "expiration_date": "\(Self.day(offset: 3))"}
                    """, expect: 201)["id"], "product id")
        let gourd = try id(
            try await object(
                .post, "/api/products", as: owner, json: #"{"barcode": "GOURD", "name": "Mate gourd", "quantity": 3, "price": 40}"#,
                expect: 201)["id"], "product id")
        try await call(
            .post, "/api/products", as: owner,
            json: #"{"barcode": "A2ONLY", "name": "Branch special", "quantity": 2, "price": 9.99, "store_id": \#(world.storeA2)}"#,
            expect: 201)
        try await call(.post, "/api/products", as: owner, json: #"{"barcode": "7791234567890", "name": "Copy", "price": 1}"#, expect: 409)
        try await call(.post, "/api/products", as: vendor, json: #"{"name": "Nope", "price": 1}"#, expect: 403)
        try await call(.post, "/api/products", as: owner, json: #"{"name": "No price"}"#, expect: 400)
        try await call(.get, "/api/products?search=tea&view_mode=all&sort=price&order=desc&page=1&limit=10", as: vendor, expect: 200)
        try await call(.get, "/api/products?view_mode=low_stock", as: admin, expect: 200)
        try await call(.get, "/api/products?store_id=\(world.storeA2)", as: owner, expect: 200)
        try await call(.get, "/api/products?view_mode=sideways", as: owner, expect: 400)
        try await call(.get, "/api/products/\(tea)", as: vendor, expect: 200)
        try await call(.get, "/api/products/\(tea)?store_id=\(world.storeA2)", as: owner, expect: 200)
        try await call(.get, "/api/products/\(tea)?store_id=\(world.storeA2)", as: admin, expect: 403)
        try await call(.get, "/api/products/999999", as: owner, expect: 404)
        try await call(.get, "/api/products/abc", as: owner, expect: 400)
        try await call(.put, "/api/products/\(tea)", as: owner, json: #"{"price": 27, "image_url": null, "category": null}"#, expect: 200)
        try await call(.put, "/api/products/\(tea)", as: owner, json: #"{"category": "Hot drinks", "quantity": 38}"#, expect: 200)
        try await call(.delete, "/api/products/\(gourd)?storeId=\(world.storeA1)", as: owner, expect: 200)
        try await call(.post, "/api/products/\(gourd)/activate?storeId=\(world.storeA1)", as: owner, expect: 200)
        try await call(.delete, "/api/products/\(gourd)", as: owner, expect: 200)
        try await call(.get, "/api/products_all?sort=stock", as: owner, expect: 200)
        try await call(.post, "/api/products/\(gourd)/activate", as: owner, expect: 200)
        try await call(.get, "/api/items?q=tea", as: vendor, expect: 200)

        // Sales.
        let key: HTTPFields = [Idempotency.headerName: "tour-sale-1"]
        let sold = try await object(
            .post, "/api/sales", as: vendor, json: #"{"barcode": "7791234567890", "quantity": 2, "payment_method": "tarjeta"}"#,
            headers: key, expect: 201)
        let replay = try await call(
            .post, "/api/sales", as: vendor, json: #"{"barcode": "7791234567890", "quantity": 2, "payment_method": "tarjeta"}"#,
            headers: key, expect: 201)
        #expect(replay.headers[Idempotency.replayedHeader] == "true")
        try await call(.post, "/api/sales", as: vendor, json: #"{"barcode": "7791234567890", "quantity": 1}"#, headers: key, expect: 422)
        let saleID = try id(sold["sale_id"], "sale_id")
        try await call(.post, "/api/sales", as: vendor, json: #"{"barcode": "7791234567890", "quantity": 500}"#, expect: 409)
        try await call(.post, "/api/sales", as: vendor, json: #"{"barcode": "NOPE", "quantity": 1}"#, expect: 404)
        try await call(.post, "/api/sales", as: vendor, json: #"{"barcode": "7791234567890", "quantity": 0}"#, expect: 400)
        let bulk = try await object(
            .post, "/api/sales/bulk", as: vendor,
            json: """
                {"items": [{"item_id": \(tea), "quantity": 1}, {"item_id": \(milk), "quantity": 2}], "payment_method": "cash"}
                """, expect: 201)
        let bulkID = try id(bulk["sale_id"], "sale_id")
        try await call(
            .post, "/api/sales/bulk", as: owner, json: #"{"items": [{"item_id": \#(gourd), "quantity": 1}], "store_id": \#(world.storeA1)}"#,
            expect: 201)
        try await call(.post, "/api/sales/bulk", as: vendor, json: #"{"items": [{"item_id": 999999, "quantity": 1}]}"#, expect: 404)
        try await call(.get, "/api/sales", as: vendor, expect: 200)
        try await call(
            .get,
            "/api/sales?from=\(Self.day(offset: -1))&to=\(Self.day(offset: 0))&product=tea&vendor=vendora1&store_id=\(world.storeA1)&page=1&limit=5",
            as: owner, expect: 200)
        try await call(.get, "/api/sales?from=yesterday", as: owner, expect: 400)
        try await call(.get, "/api/sales/\(saleID)", as: vendor, expect: 200)
        try await call(.get, "/api/sales/999999", as: vendor, expect: 404)
        try await call(.get, "/api/sales/\(saleID)/edit", as: admin, expect: 200)
        try await call(.get, "/api/sales/\(saleID)/edit", as: vendor, expect: 403)
        try await call(
            .put, "/api/sales/\(bulkID)", as: owner, json: #"{"items": [{"item_id": \#(tea), "quantity": 2}], "payment_method": "card"}"#, expect: 200
        )
        try await call(.post, "/api/sales/\(saleID)/void", as: admin, expect: 200)
        try await call(.post, "/api/sales/\(saleID)/void", as: admin, expect: 409)
        try await call(.put, "/api/sales/\(saleID)", as: admin, json: #"{"items": [{"item_id": \#(tea), "quantity": 1}]}"#, expect: 409)

        // Bills, with a tax rate.
        try await call(.get, "/api/settings/company", as: vendor, expect: 200)
        try await call(.put, "/api/settings/company", as: owner, json: #"{"tax_rate": 21, "prices_include_tax": true}"#, expect: 200)
        try await call(.put, "/api/settings/company", as: admin, json: #"{"tax_rate": 21, "prices_include_tax": true}"#, expect: 403)
        let bill = try await object(
            .post, "/api/bills", as: vendor,
            json: """
                {"storeId": \(world.storeA1), "paymentType": "CASH", "details": [{"productId": \(tea), "quantity": 1, "discountPercentage": 10},
                 {"productId": \(milk), "quantity": 1}], "discountAmount": 1.5, "customer": "Juan Pérez"}
                """, headers: [Idempotency.headerName: "tour-bill-1"], expect: 201)
        try await call(
            .post, "/api/bills", as: vendor, json: #"{"storeId": \#(world.storeA1), "details": [{"productId": \#(gourd), "quantity": 1}]}"#,
            expect: 201)
        try await call(
            .post, "/api/bills", as: vendor, json: #"{"storeId": \#(world.storeA1), "details": [{"productId": \#(tea), "quantity": 9999}]}"#,
            expect: 409)
        try await call(
            .post, "/api/bills", as: vendor, json: #"{"storeId": \#(world.storeA2), "details": [{"productId": \#(tea), "quantity": 1}]}"#, expect: 403
        )
        try await call(.get, "/api/bills?limit=5&offset=0&from=\(Self.day(offset: 0))", as: owner, expect: 200)
        try await call(.get, "/api/bills/\(try id(bill["billId"], "billId"))", as: vendor, expect: 200)
        try await call(.get, "/api/bills/999999", as: vendor, expect: 404)

        // Store inventory and the ledger.
        try await call(.get, "/api/store-inventory?limit=50", as: owner, expect: 200)
        try await call(.get, "/api/store-inventory", as: admin, expect: 403)
        try await call(.get, "/api/store-inventory/store/\(world.storeA2)", as: owner, expect: 200)
        try await call(.get, "/api/store-inventory/my-store", as: admin, expect: 200)
        try await call(.get, "/api/store-inventory/low-stock", as: admin, expect: 200)
        try await call(.get, "/api/store-inventory/low-stock?threshold=0", as: owner, expect: 200)
        try await call(.get, "/api/store-inventory/\(world.storeA1)/\(tea)", as: owner, expect: 200)
        try await call(.get, "/api/store-inventory/\(world.storeA2)/\(tea)", as: owner, expect: 404)
        try await call(
            .patch, "/api/store-inventory/stock", as: admin,
            json: #"{"productId": \#(tea), "storeId": \#(world.storeA1), "stock": 30, "reason": "Count"}"#,
            headers: [Idempotency.headerName: "tour-stock-1"], expect: 200)
        try await call(.patch, "/api/store-inventory/stock", as: admin, json: #"{"productId": \#(tea), "storeId": 0, "stock": 30}"#, expect: 400)
        try await call(
            .post, "/api/store-inventory/transfer", as: owner,
            json: #"{"productId": \#(tea), "fromStoreId": \#(world.storeA1), "toStoreId": \#(world.storeA2), "quantity": 5}"#, expect: 200)
        try await call(
            .post, "/api/store-inventory/transfer", as: owner,
            json: #"{"productId": \#(tea), "fromStoreId": \#(world.storeA1), "toStoreId": \#(world.storeA2), "quantity": 5000}"#, expect: 400)
        try await call(
            .post, "/api/store-inventory/transfer", as: admin,
            json: #"{"productId": \#(tea), "fromStoreId": \#(world.storeA2), "toStoreId": \#(world.storeA1), "quantity": 1}"#, expect: 403)
        try await call(.get, "/api/stock-movements", as: owner, expect: 200)
        try await call(
            .get,
            "/api/stock-movements?store_id=\(world.storeA1)&product_id=\(tea)&kind=sale&from=\(Self.day(offset: 0))&to=\(Self.day(offset: 0))&limit=3",
            as: owner, expect: 200)
        try await call(.get, "/api/stock-movements?kind=theft", as: owner, expect: 400)

        // Import and export.
        var csv: HTTPFields = [
            .contentType: "text/csv", .cookie: "\(Authenticator.cookieName)=\(owner.cookie)", CSRFCheck.headerName: owner.csrfToken,
        ]
        let good = try await call(
            .post, "/api/import/products", body: ByteBuffer(string: "sku,product,pvp,unidades,notes\n111,Té verde,25.5,10,x\n,Pan,2,4,y\n"),
            headers: csv, expect: 201)
        let goodID = try id(try JSONDecoder().decode(JSONValue.self, from: Data(buffer: good.body))["id"], "import id")
        let bad = try await call(
            .post, "/api/import/products?store_id=\(world.storeA1)",
            body: ByteBuffer(string: "Código;Nombre;Precio de venta;Existencias\n222;Café;gratis;5\n333;Mate;3,5;2\n"), headers: csv, expect: 201)
        let badID = try id(try JSONDecoder().decode(JSONValue.self, from: Data(buffer: bad.body))["id"], "import id")
        try await call(.post, "/api/import/products/\(badID)/confirm", as: owner, expect: 422)
        try await call(.post, "/api/import/products/\(goodID)/preview", as: owner, json: #"{"mapping": {"pvp": ""}}"#, expect: 200)
        try await call(.post, "/api/import/products/\(goodID)/preview", as: owner, expect: 200)
        try await call(.post, "/api/import/products/999999/preview", as: owner, expect: 404)
        try await call(
            .post, "/api/import/products/\(goodID)/confirm", as: owner,
            json: #"{"mapping": {"sku": "barcode", "product": "name", "pvp": "price", "unidades": "quantity", "notes": ""}}"#, expect: 200)
        try await call(.post, "/api/import/products/999999/confirm", as: owner, expect: 404)
        try await call(.get, "/api/import/products/\(goodID)/progress", as: owner, expect: 200)
        try await call(.get, "/api/import/products/999999/progress", as: owner, expect: 404)
        csv[.contentType] = "application/pdf"
        try await call(.post, "/api/import/products", body: ByteBuffer(string: "%PDF"), headers: csv, expect: 415)
        try await call(.get, "/api/export/products.csv", as: admin, expect: 200)
        try await call(.get, "/api/export/sales.csv?store_id=\(world.storeA1)", as: owner, expect: 200)
        try await call(.get, "/api/export/stock-movements.csv?kind=sale&product_id=\(tea)", as: owner, expect: 200)
        try await call(.get, "/api/export/sales.csv?store_id=\(world.storeA2)", as: admin, expect: 403)
        try await call(.get, "/api/export/stock.csv?search=tea&view_mode=low_stock", as: admin, expect: 200)
        try await call(.get, "/api/export/stock.csv?store_id=\(world.storeA2)", as: admin, expect: 403)

        // Reports.
        try await call(.get, "/api/stats", as: owner, expect: 200)
        try await call(.get, "/api/stats?store_id=\(world.storeA1)", as: admin, expect: 200)
        try await call(.get, "/api/stats", as: vendor, expect: 403)
        try await call(.get, "/api/metrics", as: owner, expect: 200)
        try await call(.get, "/api/metrics?period=7&store_id=\(world.storeA1)", as: owner, expect: 200)
        try await call(.get, "/api/metrics?from=\(Self.day(offset: -6))&to=\(Self.day(offset: 0))", as: admin, expect: 200)
        try await call(.get, "/api/metrics?period=7&from=\(Self.day(offset: -6))", as: owner, expect: 400)
        try await call(.get, "/api/metrics?store_id=999999", as: owner, expect: 404)
        try await call(.get, "/api/never-sold?page=1&limit=10", as: owner, expect: 200)

        // The debug log.
        try await call(
            .post, "/api/debug/log", as: vendor, json: #"{"message": "TypeError: cart is undefined", "url": "/till", "stack": "a\nb"}"#, expect: 200)
        try await call(.post, "/api/debug/log", as: vendor, json: #"{"message": "", "level": "error"}"#, expect: 400)
        try await call(.post, "/api/debug/log", expect: 401)
        try await call(.get, "/api/debug/logs?limit=20&level=info", as: owner, expect: 200)
        try await call(.get, "/api/debug/logs?level=loud", as: owner, expect: 400)
        try await call(.get, "/api/debug/logs", as: admin, expect: 403)
        try await call(.post, "/api/debug/command", as: vendor, json: #"{"command": "ls"}"#, expect: 410)
        try await call(.post, "/api/debug/command", json: #"{"command": "ls"}"#, expect: 401)
    }

    /// Accounts, applications, stores, notifications, audit, settings and tokens.
    func people(_ world: ShopWorld, owner: SignedIn, admin: SignedIn, vendor: SignedIn) async throws {
        let created = try await object(
            .post, "/api/users", as: admin,
            json: #"{"username": "newvendor", "email": "newvendor@example.com", "password": "password-456", "role": "vendedor"}"#,
            expect: 201)
        let newID = try id(created["id"], "user id")
        try await call(
            .post, "/api/users", as: admin,
            json: #"{"username": "newvendor", "email": "other@example.com", "password": "password-456", "role": "vendor"}"#,
            expect: 409)
        try await call(
            .post, "/api/users", as: admin, json: #"{"username": "boss", "email": "boss@example.com", "password": "password-456", "role": "owner"}"#,
            expect: 403)
        try await call(.get, "/api/users", as: owner, expect: 200)
        try await call(.get, "/api/users?search=vendor&store_id=\(world.storeA1)&status=active&role=vendor&page=1&limit=2", as: admin, expect: 200)
        try await call(.get, "/api/suggest/vendors?q=vendor", as: vendor, expect: 200)
        try await call(.get, "/api/users", as: vendor, expect: 403)
        try await call(.get, "/api/users/\(newID)", as: admin, expect: 200)
        try await call(.get, "/api/users/999999", as: admin, expect: 404)
        try await call(
            .put, "/api/users/\(newID)", as: owner, json: #"{"email": "new.vendor@example.com", "store_id": \#(world.storeA2)}"#, expect: 200)
        try await call(.put, "/api/users/\(world.ownerA.id)", as: owner, json: #"{"role": "admin"}"#, expect: 422)
        try await call(.post, "/api/users/\(newID)/password", as: owner, json: #"{"new_password": "password-789"}"#, expect: 200)
        try await call(.post, "/api/users/\(newID)/password", as: owner, json: #"{}"#, expect: 400)
        try await call(.delete, "/api/users/\(newID)", as: owner, expect: 200)
        try await call(.delete, "/api/users/\(world.ownerA.id)", as: owner, expect: 422)

        // Registration and review.
        let applicant = try await object(
            .post, "/api/register", json: #"{"username": "lucia", "email": "lucia@example.com", "password": "password-456"}"#,
            expect: 201)
        try await call(
            .post, "/api/register", json: #"{"username": "lucia", "email": "lucia2@example.com", "password": "password-456"}"#, expect: 409)
        try await call(.post, "/api/login", json: #"{"username": "lucia", "password": "password-456"}"#, expect: 403)
        let second = try await object(
            .post, "/api/register", json: #"{"username": "pablo", "email": "pablo@example.com", "password": "password-456"}"#,
            expect: 201)
        try await call(.get, "/api/applications?page=1&limit=10", as: admin, expect: 200)
        try await call(.post, "/api/applications/\(try id(applicant["user_id"], "user_id"))/approve", as: admin, expect: 200)
        try await call(.post, "/api/applications/\(try id(applicant["user_id"], "user_id"))/approve", as: admin, expect: 409)
        try await call(.post, "/api/applications/\(try id(second["user_id"], "user_id"))/reject", as: owner, expect: 200)
        try await call(.post, "/api/applications/999999/reject", as: owner, expect: 404)

        // Stores and the company.
        try await call(.get, "/api/stores", as: owner, expect: 200)
        try await call(.get, "/api/stores?limit=1&offset=1", as: vendor, expect: 200)
        let store = try id(
            try await object(.post, "/api/stores", as: owner, json: #"{"name": "Kiosk", "address": null}"#, expect: 201)["storeId"], "storeId")
        try await call(.post, "/api/stores", as: owner, json: #"{"address": "Somewhere"}"#, expect: 400)
        try await call(.post, "/api/stores", as: admin, json: #"{"name": "Mine"}"#, expect: 403)
        try await call(.get, "/api/stores/\(store)", as: owner, expect: 200)
        try await call(.get, "/api/stores/\(world.storeB)", as: owner, expect: 404)
        try await call(.put, "/api/stores/\(store)", as: owner, json: #"{"address": "Calle 9 de Julio 45"}"#, expect: 200)
        try await call(.put, "/api/stores/deactivate/\(store)", as: owner, expect: 200)
        try await call(.put, "/api/stores/activate/\(store)", as: owner, expect: 200)
        try await call(.put, "/api/stores/activate/0", as: owner, expect: 400)
        try await call(.get, "/api/companies", as: vendor, expect: 200)

        // Notifications (the sales above already raised some).
        try await call(
            .post, "/api/notifications/create", as: admin,
            json:
                #"{"user_id": \#(world.vendorA1.id), "title": "Stock count", "message": "Count the tea shelf", "type": "warning", "action_url": "/stock"}"#,
            expect: 201)
        try await call(
            .post, "/api/notifications/create", as: admin, json: #"{"user_id": \#(world.vendorA1.id), "title": "Hi", "message": "Plain"}"#,
            expect: 201)
        try await call(
            .post, "/api/notifications/create", as: vendor, json: #"{"user_id": \#(world.adminA1.id), "title": "Hi", "message": "Up"}"#, expect: 403)
        let unread = try await object(.get, "/api/notifications/unread", as: vendor, expect: 200)
        let first = try id(unread["notifications"]?.array.first?["id"], "notification id")
        let another = try id(unread["notifications"]?.array.dropFirst().first?["id"], "second notification id")
        try await call(.get, "/api/notifications/all?limit=5&offset=0", as: vendor, expect: 200)
        try await call(.post, "/api/notifications/\(first)/read", as: vendor, expect: 200)
        try await call(.post, "/api/notifications/\(first)/read", as: owner, expect: 404)
        try await call(.post, "/api/notifications/read-all", as: vendor, expect: 200)
        try await call(.delete, "/api/notifications/\(first)", as: vendor, expect: 200)
        try await call(.delete, "/api/notifications/\(first)", as: vendor, expect: 404)
        try await call(.delete, "/api/notifications/\(another)/delete", as: vendor, expect: 200)
        try await call(.get, "/api/notifications/all", as: owner, expect: 200)

        // The audit log.
        try await call(.get, "/api/all", as: owner, expect: 200)
        try await call(
            .get, "/api/all?action=product_created&from=\(Self.day(offset: -1))&to=\(Self.day(offset: 0))&limit=2&offset=1", as: owner, expect: 200)
        try await call(.get, "/api/all", as: admin, expect: 403)
        try await call(.get, "/api/user/\(world.vendorA1.id)", as: admin, expect: 200)
        try await call(.get, "/api/user/\(world.ownerA.id)", as: admin, expect: 403)
        try await call(.get, "/api/user/999999", as: owner, expect: 404)
        try await call(.get, "/api/entity/product/1", as: owner, expect: 200)

        // The caller's own settings, at both documented paths.
        try await call(.put, "/api/settings/profile", as: vendor, json: #"{"email": "vendor.a1@example.com"}"#, expect: 200)
        try await call(.put, "/api/api/settings/profile", as: vendor, json: #"{"email": "vendora1@example.com"}"#, expect: 200)
        try await call(.put, "/api/settings/profile", as: vendor, json: #"{"email": "admina1@example.com"}"#, expect: 409)
        try await call(
            .put, "/api/settings/password", as: vendor,
            json: #"{"current_password": "\#(ShopWorld.password)", "new_password": "password-999", "confirm_password": "password-999"}"#, expect: 200)
        try await call(
            .put, "/api/api/settings/password", as: vendor,
            json: #"{"current_password": "password-999", "new_password": "\#(ShopWorld.password)", "confirm_password": "\#(ShopWorld.password)"}"#,
            expect: 200)
        try await call(
            .put, "/api/settings/password", as: vendor,
            json: #"{"current_password": "wrong-password", "new_password": "password-999", "confirm_password": "password-999"}"#, expect: 401)
        try await call(.put, "/api/settings/language", as: vendor, json: #"{"language": "es"}"#, expect: 200)
        try await call(.put, "/api/settings/language", as: vendor, json: #"{"language": null}"#, expect: 200)
        try await call(.put, "/api/settings/language", as: vendor, json: #"{"language": "fr"}"#, expect: 400)

        // API tokens.
        let token = try await object(.post, "/api/tokens", as: admin, json: #"{"name": "Nightly export"}"#, expect: 201)
        guard case .string(let secret)? = token["token"] else { throw ClusterError("no token secret") }
        let bearer: HTTPFields = [.authorization: "Bearer \(secret)"]
        try await call(.get, "/api/me", headers: bearer, expect: 200)
        try await call(.get, "/api/tokens", as: admin, expect: 200)
        try await call(.get, "/api/tokens", headers: bearer, expect: 200)
        try await call(.post, "/api/tokens", as: admin, json: #"{"name": ""}"#, expect: 400)
        try await call(.delete, "/api/tokens/\(try id(token["id"], "token id"))", headers: bearer, expect: 200)
        try await call(.get, "/api/me", headers: bearer, expect: 401)
        try await call(.delete, "/api/tokens/999999", as: admin, expect: 404)
    }

    /// `YYYY-MM-DD` for today (UTC, the tests' business time zone) plus `offset` days.
    static func day(offset: Int) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let date = calendar.date(byAdding: .day, value: offset, to: Date())!
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }
}
