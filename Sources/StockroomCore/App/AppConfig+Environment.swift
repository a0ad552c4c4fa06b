import Foundation
import Logging

/// What was wrong with the configuration: one line per bad setting, naming the variable and what it accepts.
public struct ConfigError: Error, CustomStringConvertible {
    public let problems: [String]

    public var description: String {
        "Stockroom cannot start; fix these settings:\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}

extension AppConfig {
    /// Reads the configuration from `environment`, over the `.env` file at `envFile` when it exists.
    public static func load(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        envFile: String? = ".env"
    ) throws -> AppConfig {
        var values = (try? envFile.map { try String(contentsOfFile: $0, encoding: .utf8) }).flatMap { $0 }.map(parseDotEnv) ?? [:]
        values.merge(environment) { _, fromEnvironment in fromEnvironment }
        return try AppConfig(values: values)
    }

    init(values: [String: String]) throws {
        self.init()
        var reader = SettingReader(values: values)
        reader.read("STOCKROOM_HOST", into: &host) { $0.isEmpty ? nil : $0 }
        reader.read("STOCKROOM_PORT", into: &port, expected: "a port number from 1 to 65535, or 0 for any free port") {
            Self.int($0, in: 0...65535)
        }
        reader.read(
            "STOCKROOM_DATABASE_URL", into: &database,
            expected:
                "sqlite:///path/to/file.sqlite, postgres://user:password@host:5432/database?sslmode=verify-full or postgres+uds://user@localhost/socket/path#database"
        ) { Self.database(from: $0) }
        let machine = Self.machineTimeZone(values)
        timeZone = machine.zone
        currency = Self.localeCurrency(values)
        reader.read("STOCKROOM_CURRENCY", into: &currency, expected: "an ISO 4217 code with two decimals such as EUR, USD or MXN") {
            Currency.validated($0)
        }
        reader.read("STOCKROOM_TIMEZONE", into: &timeZone, expected: "an IANA time zone such as Europe/Madrid") { Self.namedZone($0) }
        if values["STOCKROOM_TIMEZONE"] == nil {
            startWarnings += machine.warning.map { [$0] } ?? []
            if case .postgres = database {
                // Each node rebuilds the report totals in its own zone at start: two zones would undo each other.
                startWarnings.append(
                    """
                    STOCKROOM_TIMEZONE is unset, so this node uses its machine's zone (\(timeZone.identifier)); every node of one \
                    PostgreSQL database must use the same zone, or each start rebuilds the report totals in its own. \
                    Set STOCKROOM_TIMEZONE on every node.
                    """)
            }
        }
        reader.read("STOCKROOM_LOG_LEVEL", into: &logLevel, expected: "trace, debug, info, notice, warning, error or critical") {
            Logger.Level(rawValue: $0.lowercased())
        }
        reader.read("STOCKROOM_IDLE_TIMEOUT_SECONDS", into: &idleTimeoutSeconds, expected: "seconds from 30 to 3600") { Self.int($0, in: 30...3600) }
        reader.read("STOCKROOM_SQLITE_READERS", into: &sqliteReaders, expected: "a number from 1 to 64") { Self.int($0, in: 1...64) }
        reader.read("STOCKROOM_DB_POOL_SIZE", into: &postgresPoolSize, expected: "a number from 1 to 500") { Self.int($0, in: 1...500) }
        reader.read("STOCKROOM_BACKUP_DIR", into: &backupDirectory, expected: "a directory") { $0.isEmpty ? String??.none : .some($0) }
        reader.read("STOCKROOM_BACKUP_EVERY_HOURS", into: &backupEveryHours, expected: Self.backupHoursExpected) { Self.backupHours($0) }
        reader.read("STOCKROOM_BACKUP_KEEP", into: &backupKeep, expected: "a number from 1 to 1000") { Self.int($0, in: 1...1000) }
        reader.problems += backupSettingProblems(values)
        reader.read("STOCKROOM_COMPANY_NAME", into: &companyName, expected: "1 to 100 characters") { Self.text($0, maxLength: 100) }
        reader.read("STOCKROOM_STORE_NAME", into: &storeName, expected: "1 to 100 characters") { Self.text($0, maxLength: 100) }
        reader.read("STOCKROOM_ADMIN_USERNAME", into: &adminUsername, expected: "3 to 50 letters, digits, '.', '_' or '-'") {
            Validation.isUsername($0) ? $0 : nil
        }
        reader.read("STOCKROOM_ADMIN_EMAIL", into: &adminEmail, expected: "an email address") { Validation.isEmail($0) ? $0 : nil }
        reader.read("STOCKROOM_ADMIN_PASSWORD", into: &adminPassword, expected: "8 to 72 bytes") {
            // Spelled out: a bare `nil` here would mean "valid, and no password" to the optional target.
            Validation.isPassword($0) ? .some($0) : String??.none
        }
        reader.read("STOCKROOM_BCRYPT_COST", into: &bcryptCost, expected: "a number from 4 to 16") { Self.int($0, in: 4...16) }
        reader.read("STOCKROOM_SESSION_HOURS", into: &sessionLifetimeHours, expected: "hours from 1 to 720") { Self.int($0, in: 1...720) }
        reader.read("STOCKROOM_SECURE_COOKIES", into: &secureCookies, expected: "true or false") { Self.bool($0) }
        reader.read("STOCKROOM_ALLOWED_ORIGINS", into: &allowedOrigins, expected: "comma-separated origins such as https://shop.example.com") {
            Self.origins($0)
        }
        reader.read("STOCKROOM_SSE_HEARTBEAT_SECONDS", into: &streamHeartbeatSeconds, expected: "seconds from 1 to 300") {
            Self.int($0, in: 1...300)
        }
        reader.read("STOCKROOM_METRICS_TOKEN", into: &metricsToken, expected: "16 to 200 characters") {
            (16...200).contains($0.count) ? .some($0) : String??.none
        }
        reader.read("STOCKROOM_TRUST_PROXY", into: &trustProxy, expected: "true or false") { Self.bool($0) }
        reader.read("STOCKROOM_LOGIN_MAX_FAILURES", into: &loginMaxFailures, expected: "a number from 1 to 100") { Self.int($0, in: 1...100) }
        reader.read("STOCKROOM_LOGIN_LOCKOUT_MINUTES", into: &loginLockoutMinutes, expected: "minutes from 1 to 1440") {
            Self.int($0, in: 1...1440)
        }
        reader.read("STOCKROOM_RESOURCES", into: &resourcesPath) { $0.isEmpty ? String??.none : .some($0) }
        reader.read("STOCKROOM_TLS_CERT", into: &tlsCertificatePath, expected: "a readable PEM certificate file") { Self.readableFile($0) }
        reader.read("STOCKROOM_TLS_KEY", into: &tlsKeyPath, expected: "a readable PEM private key file") { Self.readableFile($0) }
        reader.read("STOCKROOM_LOG_FORMAT", into: &logFormat, expected: "text or json") { LogFormat(rawValue: $0.lowercased()) }
        if (values["STOCKROOM_TLS_CERT"] == nil) != (values["STOCKROOM_TLS_KEY"] == nil) {
            reader.problems.append("STOCKROOM_TLS_CERT and STOCKROOM_TLS_KEY go together: set both for HTTPS, or neither")
        }
        // A server that speaks only HTTPS: its cookies must never travel over plain HTTP.
        if tlsCertificatePath != nil { secureCookies = true }
        if !reader.problems.isEmpty {
            throw ConfigError(problems: reader.problems)
        }
    }

    static func database(from text: String) -> Database? {
        if text.hasPrefix("sqlite://") {
            let path = String(text.dropFirst("sqlite://".count))
            return path.isEmpty ? nil : .sqlite(path: path)
        }
        return PostgresURL(text).map { .postgres($0) }
    }

    /// The zone called `name`, when Foundation keeps that name. It makes up a zone for some names ("GMT+5" becomes
    /// "GMT+0500", five hours east, where POSIX's `TZ=GMT+5` means five hours west), and browsers refuse such names
    /// in `toLocaleString`. Its known-names list alone is not enough: it has Asia/Calcutta but not Asia/Kolkata.
    static func namedZone(_ name: String) -> TimeZone? {
        name == "UTC" ? TimeZone(identifier: "UTC") : TimeZone(identifier: name).flatMap { $0.identifier == name ? $0 : nil }
    }

    /// The machine's zone: `TZ` when set (what `TimeZone.current` reads first on Linux), else the system's; UTC with
    /// a warning when that zone does not keep its name (`TZ=GMT+5`), as `STOCKROOM_TIMEZONE` would be refused.
    static func machineTimeZone(_ values: [String: String]) -> (zone: TimeZone, warning: String?) {
        let tz = values["TZ"].map { $0.hasPrefix(":") ? String($0.dropFirst()) : $0 } ?? ""
        let name = tz.isEmpty ? TimeZone.current.identifier : tz
        if let zone = namedZone(name) { return (zone, nil) }
        let source = tz.isEmpty ? "The machine's time zone '\(name)'" : "TZ=\(values["TZ"]!)"
        return (
            TimeZone(identifier: "UTC")!,
            """
            \(source) is not an IANA time zone Stockroom can use (such as Europe/Madrid); using UTC. \
            Set STOCKROOM_TIMEZONE to the shop's zone.
            """
        )
    }

    /// The currency of the machine's locale (`LC_ALL`, `LC_MONETARY`, `LANG`, as C programs read them), else EUR:
    /// only these settings decide, so a `C` locale or one whose currency has no cents is EUR on any machine.
    static func localeCurrency(_ values: [String: String]) -> String {
        let locale = ["LC_ALL", "LC_MONETARY", "LANG"].lazy.compactMap { values[$0] }.first { !$0.isEmpty }
        return locale.flatMap(Currency.of(localeIdentifier:)) ?? Currency.fallback
    }

    static func int(_ text: String, in range: ClosedRange<Int>) -> Int? {
        Int(text).flatMap { range.contains($0) ? $0 : nil }
    }

    static func origins(_ text: String) -> [String]? {
        let origins = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }.filter { !$0.isEmpty }
        let valid = origins.allSatisfy { origin in
            guard let url = URLComponents(string: origin), let scheme = url.scheme, ["http", "https"].contains(scheme),
                url.host?.isEmpty == false, url.path.isEmpty || url.path == "/"
            else { return false }
            return true
        }
        return valid ? origins.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 } : nil
    }

    static func readableFile(_ path: String) -> String?? {
        FileManager.default.isReadableFile(atPath: path) ? .some(path) : String??.none
    }

    static func bool(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "1", "true", "yes", "on": true
        case "0", "false", "no", "off": false
        default: nil
        }
    }

    static func text(_ text: String, maxLength: Int) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        return (1...maxLength).contains(trimmed.count) ? trimmed : nil
    }

    /// `KEY=value` lines; `#` comments, blank lines, an `export ` prefix and surrounding quotes are allowed.
    static func parseDotEnv(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        for rawLine in text.split(whereSeparator: \.isNewline) {
            var line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)) }
            guard !line.hasPrefix("#"), let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, let first = value.first, first == value.last, first == "\"" || first == "'" {
                value = String(value.dropFirst().dropLast())
            }
            values[key] = value
        }
        return values
    }
}

/// Reads one setting at a time, collecting a readable problem for each value that does not parse.
private struct SettingReader {
    let values: [String: String]
    var problems: [String] = []

    mutating func read<T>(_ name: String, into target: inout T, expected: String = "a value", parse: (String) -> T?) {
        guard let raw = values[name] else { return }
        if let value = parse(raw) {
            target = value
        } else {
            // Secrets are never echoed back, even in an error message.
            let shown = name.contains("PASSWORD") || name.contains("DATABASE_URL") || name.contains("TOKEN") ? "(hidden)" : "'\(raw)'"
            problems.append("\(name)=\(shown) is not valid: expected \(expected)")
        }
    }
}
