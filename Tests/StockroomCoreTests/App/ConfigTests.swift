import ChildProcesses
import Foundation
import SQLKit
import Testing

@testable import StockroomCore
@testable import StockroomDomain

@Suite("Configuration")
struct ConfigTests {
    @Test("defaults serve SQLite on 127.0.0.1:8080")
    func defaults() throws {
        let config = try AppConfig(values: [:])
        #expect(config.host == "127.0.0.1" && config.port == 8080)
        #expect(config.database == .sqlite(path: "./stockroom.sqlite"))
        #expect(config.timeZone.identifier == TimeZone.current.identifier, "unset, the machine's own zone")
        #expect(config.adminPassword == nil)
    }

    @Test("every setting is read")
    func readsSettings() throws {
        let config = try AppConfig(values: [
            "STOCKROOM_HOST": "0.0.0.0", "STOCKROOM_PORT": "9000",
            "STOCKROOM_DATABASE_URL": "postgres://shop:s%40cret@db.local:6543/stock?sslmode=disable",
            "STOCKROOM_TIMEZONE": "America/Tegucigalpa", "STOCKROOM_LOG_LEVEL": "DEBUG", "STOCKROOM_BCRYPT_COST": "10",
            "STOCKROOM_ADMIN_PASSWORD": "long-enough", "STOCKROOM_SECURE_COOKIES": "yes", "STOCKROOM_SESSION_HOURS": "8",
        ])
        #expect(config.host == "0.0.0.0" && config.port == 9000)
        guard case .postgres(let url) = config.database else {
            Issue.record("not postgres")
            return
        }
        let connection = url.connection
        #expect(connection.host == "db.local" && connection.port == 6543 && connection.username == "shop" && connection.password == "s@cret")
        #expect(connection.database == "stock" && !connection.tls.isAllowed)
        #expect(!url.redacted.contains("s@cret") && url.redacted == "postgres://shop:***@db.local:6543/stock")
        #expect(config.timeZone.identifier == "America/Tegucigalpa")
        #expect(config.logLevel == .debug && config.bcryptCost == 10 && config.secureCookies && config.sessionLifetimeHours == 8)
        #expect(try AppConfig(values: ["STOCKROOM_DATABASE_URL": "sqlite:///var/lib/shop.sqlite"]).database == .sqlite(path: "/var/lib/shop.sqlite"))
    }

    @Test(
        "a PostgreSQL address means what it means to libpq: verify-full and verify-ca verify, a Unix socket by postgres+uds, an unknown mode refused")
    func postgresAddresses() throws {
        func url(_ text: String) throws -> PostgresURL {
            guard case .postgres(let url) = try AppConfig(values: ["STOCKROOM_DATABASE_URL": text]).database else {
                throw ClusterError("not postgres")
            }
            return url
        }
        for mode in ["verify-full", "verify-ca", "require"] {
            #expect(try url("postgres://shop@db.example:5432/stock?sslmode=\(mode)").connection.tls.isEnforced)
        }
        #expect(try url("postgres://shop@db.example/stock").connection.tls.isAllowed)
        let socket = try url("postgres+uds://shop:pw@localhost/run/postgresql/.s.PGSQL.5432#stock")
        #expect(socket.connection.unixSocketPath == "/run/postgresql/.s.PGSQL.5432" && socket.connection.database == "stock")
        #expect(!socket.connection.tls.isAllowed && socket.redacted == "postgres+uds://shop:***@localhost/run/postgresql/.s.PGSQL.5432#stock")
        #expect(throws: ConfigError.self) { try AppConfig(values: ["STOCKROOM_DATABASE_URL": "postgres://shop@db.example/stock?sslmode=sometimes"]) }
    }

    @Test("the server reaches PostgreSQL through the cluster's Unix socket")
    func postgresThroughSocket() async throws {
        let config = try await TestDatabase.config(
            .postgres, ["STOCKROOM_DATABASE_URL": try await PostgresCluster.shared.makeDatabase(throughSocket: true)])
        guard case .postgres(let url) = config.database, url.connection.unixSocketPath != nil else {
            Issue.record("not a socket: \(config.database)")
            return
        }
        // Over a Unix socket the server has no address of its own for the session: inet_server_addr() is null.
        let (name, overTCP) = try await TestDatabase.withClient(.postgres, config: config) { database in
            try await database.read { db in
                let row = try await db.raw("SELECT current_database() AS name, inet_server_addr() IS NOT NULL AS tcp").first()
                return (try row?.decode(column: "name", as: String.self), try row?.decode(column: "tcp", as: Bool.self))
            }
        }
        #expect(name == url.connection.database && overTCP == false)
    }

    @Test("each bad value is reported by name, with what it accepts, secrets hidden")
    func reportsEveryProblem() throws {
        do {
            _ = try AppConfig(values: [
                "STOCKROOM_PORT": "80a", "STOCKROOM_TIMEZONE": "Mars/Olympus", "STOCKROOM_DATABASE_URL": "mysql://u:topsecret@x/db",
                "STOCKROOM_ADMIN_PASSWORD": "short", "STOCKROOM_BCRYPT_COST": "99", "STOCKROOM_SECURE_COOKIES": "maybe",
            ])
            Issue.record("accepted bad settings")
        } catch let error as ConfigError {
            #expect(error.problems.count == 6)
            let text = error.description
            for name in [
                "STOCKROOM_PORT='80a'", "STOCKROOM_TIMEZONE", "STOCKROOM_DATABASE_URL", "STOCKROOM_ADMIN_PASSWORD",
                "STOCKROOM_BCRYPT_COST", "STOCKROOM_SECURE_COOKIES",
            ] {
                #expect(text.contains(name), "\(name) in \(text)")
            }
            #expect(!text.contains("topsecret") && !text.contains("short'"))
        }
    }

    @Test("time zones: today's IANA names are accepted, made-up ones refused")
    func timeZones() throws {
        for name in ["Asia/Kolkata", "Europe/Madrid", "America/Argentina/Buenos_Aires", "UTC"] {
            #expect(
                try AppConfig(values: ["STOCKROOM_TIMEZONE": name]).timeZone.secondsFromGMT() == TimeZone(identifier: name)!.secondsFromGMT(),
                "\(name)")
        }
        for name in ["GMT+5", "Mars/Olympus", "Asia", ""] {
            #expect(throws: ConfigError.self, "\(name)") { try AppConfig(values: ["STOCKROOM_TIMEZONE": name]) }
        }
    }

    @Test(".env supplies defaults that the environment overrides")
    func dotEnv() throws {
        let file = FileManager.default.temporaryDirectory.appending(path: "stockroom-\(UUID().uuidString).env")
        try """
        # comment
        export STOCKROOM_PORT=9100
        STOCKROOM_HOST = "0.0.0.0"
        STOCKROOM_COMPANY_NAME='La Tiendita'

        STOCKROOM_TIMEZONE=Europe/Madrid
        """.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let config = try AppConfig.load(environment: ["STOCKROOM_TIMEZONE": "UTC"], envFile: file.path)
        #expect(config.port == 9100 && config.host == "0.0.0.0" && config.companyName == "La Tiendita")
        #expect(config.timeZone == TimeZone(identifier: "UTC"))
        #expect(try AppConfig.load(environment: [:], envFile: "/nonexistent/.env").port == 8080, "a missing .env is fine")
    }
}
