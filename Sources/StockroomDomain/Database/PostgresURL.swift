import Foundation
import NIOSSL
import PostgresKit

/// A PostgreSQL address as postgres-kit reads it, so it means what it means to libpq's users:
/// `postgres://user:password@host:port/database?sslmode=disable|prefer|require|verify-ca|verify-full` over TCP, or
/// `postgres+uds://user@localhost/run/postgresql/.s.PGSQL.5432#database` through a Unix socket. Every TLS mode
/// that uses TLS verifies the server's certificate chain and name (`require` included: postgres-kit never connects
/// to a server it cannot verify).
public struct PostgresURL: Sendable, Equatable {
    /// The address as given (compared, never logged: it may hold the password).
    private let text: String
    /// Host or socket, account, database and TLS, as postgres-kit read them (also the event relay's LISTEN
    /// connection).
    public let connection: PostgresConnection.Configuration

    public init?(_ text: String) {
        guard let configuration = try? SQLPostgresConfiguration(url: text) else { return nil }
        self.text = text
        connection = configuration.coreConfiguration
    }

    public static func == (lhs: PostgresURL, rhs: PostgresURL) -> Bool { lhs.text == rhs.text }

    /// The address with the password hidden, for logs.
    public var redacted: String {
        let account = connection.username + (connection.password == nil ? "" : ":***")
        if let socket = connection.unixSocketPath { return "postgres+uds://\(account)@localhost\(socket)#\(connection.database ?? "")" }
        return "postgres://\(account)@\(connection.host ?? ""):\(connection.port ?? 5432)/\(connection.database ?? "")"
    }

    /// The pool's configuration: the same place, account and TLS mode (verification as postgres-kit set it).
    public func clientConfiguration(poolSize: Int) -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS =
            if !connection.tls.isAllowed { .disable } else if connection.tls.isEnforced { .require(.makeClientConfiguration()) } else {
                .prefer(.makeClientConfiguration())
            }
        var configuration =
            if let socket = connection.unixSocketPath {
                PostgresClient.Configuration(
                    unixSocketPath: socket, username: connection.username, password: connection.password, database: connection.database)
            } else {
                PostgresClient.Configuration(
                    host: connection.host ?? "localhost", port: connection.port ?? 5432, username: connection.username,
                    password: connection.password, database: connection.database, tls: tls)
            }
        // A socket connection uses TLS only when asked (`?sslmode=require`), as libpq does.
        configuration.tls = tls
        configuration.options.maximumConnections = poolSize
        return configuration
    }
}
