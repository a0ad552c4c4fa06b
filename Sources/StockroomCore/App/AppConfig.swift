import Foundation
import Logging

/// Every setting Stockroom reads, typed and validated in one place. Built from the process environment,
/// over an optional `.env` file (the environment wins).
public struct AppConfig: Sendable {
    public enum Database: Sendable, Equatable {
        case sqlite(path: String)
        case postgres(PostgresURL)
    }

    public var host = "127.0.0.1"
    public var port = 8080
    public var database = Database.sqlite(path: "./stockroom.sqlite")
    /// Reports bucket days and hours in this zone; storage stays UTC. Read from the environment, an unset
    /// `STOCKROOM_TIMEZONE` is the machine's own zone (`TZ`, else `/etc/localtime`).
    public var timeZone = TimeZone(identifier: "UTC")!
    /// The currency (ISO 4217) of companies that have not chosen one: `STOCKROOM_CURRENCY`, else the machine's locale's.
    public var currency = Currency.fallback
    /// Settings the server starts with but should not: logged as warnings at start (a machine zone Stockroom cannot
    /// use, a PostgreSQL node without `STOCKROOM_TIMEZONE`).
    public var startWarnings: [String] = []
    public var logLevel = Logger.Level.info
    /// Seconds an idle keep-alive connection stays open (streams send heartbeats well within it).
    public var idleTimeoutSeconds = 75
    public var sqliteReaders = 4
    public var postgresPoolSize = 20
    /// Scheduled backups of the SQLite database into this directory (`ScheduledBackups`); none when nil.
    public var backupDirectory: String?
    public var backupEveryHours = 24.0
    public var backupKeep = 7

    // First start: the company, store and owner account created when the database is empty.
    public var companyName = "My Shop"
    public var storeName = "Main store"
    public var adminUsername = "admin"
    public var adminEmail = "admin@example.com"
    /// When nil, a random password is generated and printed once to the console.
    public var adminPassword: String?

    public var bcryptCost = 12
    public var sessionLifetimeHours = 12
    /// `sessionLifetimeHours` as the sessions and their cookie count it.
    public var sessionLifetime: TimeInterval { TimeInterval(sessionLifetimeHours * 3600) }
    /// Mark cookies `Secure`; set when Stockroom is served over HTTPS (directly or behind a proxy).
    public var secureCookies = false
    /// Origins (scheme://host[:port]) besides the server's own that may send cookie-authenticated writes,
    /// for a UI served from another address or a proxy that rewrites Host.
    public var allowedOrigins: [String] = []
    /// Behind a reverse proxy: take the client's address from the last `X-Forwarded-For` entry (the one the proxy
    /// added) instead of the socket, for throttling and the audit log.
    public var trustProxy = false
    /// The Bearer token a Prometheus scraper must send to `/metrics`; without one, only loopback clients may read.
    public var metricsToken: String?
    /// Seconds between `: heartbeat` comments on live streams.
    public var streamHeartbeatSeconds = 25
    /// Failed sign-ins per account within the lockout window before further attempts answer 429
    /// (an address gets four times as many).
    public var loginMaxFailures = 5
    public var loginLockoutMinutes = 15

    // Installing and reaching a real shop (see `AppConfig+Serving.swift`).
    /// `STOCKROOM_RESOURCES`: the folder of the pages' templates and assets, when not found beside the binary.
    public var resourcesPath: String?
    /// `STOCKROOM_TLS_CERT` / `STOCKROOM_TLS_KEY`: PEM files; with both, the server speaks only HTTPS.
    public var tlsCertificatePath: String?
    public var tlsKeyPath: String?
    /// `STOCKROOM_LOG_FORMAT`: `text` for people, `json` for log collectors.
    public var logFormat = LogFormat.text

    public init() {}
}
