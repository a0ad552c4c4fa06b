import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// Builds the real application on a fresh database for one test.
enum TestApp {
    static func build(
        _ engine: Engine = .sqlite,
        environment: [String: String] = [:],
        configureRouter: @escaping (Router<AppRequestContext>, AppDependencies) -> Void = { _, _ in }
    ) async throws -> some ApplicationProtocol {
        try await buildApplication(config: TestDatabase.config(engine, environment), configureRouter: configureRouter)
    }
}

extension TestResponse {
    /// The body decoded as a JSON object.
    func json() throws -> [String: JSONValue] {
        try JSONDecoder().decode([String: JSONValue].self, from: Data(buffer: body))
    }

    /// The body decoded as a bare JSON array.
    func jsonArray() throws -> [JSONValue] {
        try JSONDecoder().decode([JSONValue].self, from: Data(buffer: body))
    }

    var text: String { String(buffer: body) }
}

extension ByteBuffer {
    init(json: String) {
        self.init(string: json)
    }
}

extension HTTPFields {
    static let json: HTTPFields = [.contentType: "application/json"]
}
