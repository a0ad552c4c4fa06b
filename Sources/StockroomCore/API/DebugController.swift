import Foundation
import Hummingbird
import Logging
import Synchronization

/// StockManager's debug endpoints, made safe:
/// - `POST /api/debug/log`: a signed-in page reports a client-side error into the server log (rate-limited, each
///   line escaped so a report cannot forge log lines).
/// - `GET /api/debug/logs`: an owner reads this node's recent log lines — the lines of their own company's requests,
///   and, for the company created at first start (the installation's operator), the server's own lines too.
///   Secrets are redacted on the way out.
/// - `POST /api/debug/command`: 410. The original ran shell commands sent by any client; it is gone for good.
struct DebugController {
    let users: UserService
    let recentLog: RecentLog
    let reports = ReportAllowance(perMinute: 30)

    struct ClientReport: Decodable {
        let message: String
        let level: String?
        let url: String?
        let stack: String?
    }

    struct LogLine: ResponseEncodable {
        let time: Date
        let level: String
        let message: String
        let metadata: [String: String]
    }

    struct LogLines: ResponseEncodable {
        let data: [LogLine]
        let total: Int
        /// StockManager's `logs`: the same lines as text, one each.
        let logs: [String]
    }

    /// StockManager's `{"status": "logged"}`, with Stockroom's `success` and `message` beside it.
    struct ReportLogged: ResponseEncodable {
        var status = "logged"
        var success = true
        var message = "Report logged"
    }

    static let clientLevels: [String: Logger.Level] = ["error": .error, "warning": .warning, "info": .info]

    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        api.post("debug/log", use: report)
        api.get("debug/logs", use: lines)
        api.post("debug/command") { _, context -> Response in
            _ = try context.requireCaller()
            throw AppError(
                .gone, code: "gone",
                "Remote commands are not offered: the endpoint ran whatever a client sent on the server. Use the server's own console.")
        }
    }

    @Sendable func report(_ request: Request, context: AppRequestContext) async throws -> ReportLogged {
        let caller = try context.requireCaller()
        let body = try await request.decode(as: ClientReport.self, context: context)
        try Validation.checkText(body.message, field: "message", length: 1...2000)
        try Validation.checkText(body.url, field: "url", length: 0...500)
        try Validation.checkText(body.stack, field: "stack", length: 0...10000)
        guard let level = Self.clientLevels[body.level?.lowercased() ?? "error"] else {
            throw ShopError.invalidField("level", "level must be one of error, warning, info")
        }
        if let retryAfter = reports.take(for: caller.userID) {
            throw ShopError.tooManyRequests("Too many reports; send the next one later", retryAfterSeconds: retryAfter)
        }
        var metadata: Logger.Metadata = ["source": "client", "user_id": "\(caller.userID)"]
        if let url = body.url { metadata["url"] = "\(Self.logged(url))" }
        if let stack = body.stack { metadata["stack"] = "\(Self.logged(stack))" }
        context.logger.log(level: level, "Client report: \(Self.logged(body.message))", metadata: metadata)
        return ReportLogged()
    }

    @Sendable func lines(_ request: Request, context: AppRequestContext) async throws -> LogLines {
        let caller = try context.require(.readServerLog)
        let query = QueryReader(request)
        let limit = try query.int("limit", range: 1...1000) ?? 100
        let minimum = try query.oneOf("level", Logger.Level.self) ?? .trace
        let seesServerLines = try await users.operatesServer(caller)
        let visible = recentLog.lines().reversed().filter { line in
            line.level >= minimum && (line.companyID.map { $0 == caller.companyID } ?? seesServerLines)
        }
        let shown = visible.prefix(limit).map {
            LogLine(time: $0.time, level: $0.level.rawValue, message: LogRedaction.text($0.message), metadata: LogRedaction.metadata($0.metadata))
        }
        let time = ISO8601DateFormatter()
        return LogLines(
            data: shown, total: visible.count,
            logs: shown.map { line in
                ([time.string(from: line.time), line.level.uppercased(), line.message]
                    + line.metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }).joined(separator: " ")
            })
    }

    /// Reported text as it goes into the log: redacted (a page may report a URL or a request with a token in it),
    /// with line breaks written out (`\n`) so one report stays one console line.
    static func logged(_ text: String) -> String {
        oneLine(LogRedaction.text(text))
    }

    static func oneLine(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}

/// At most `perMinute` client reports per account per minute on this node: enough for a page in trouble, too few
/// to flood the log or push everyone else's lines out of `RecentLog`.
final class ReportAllowance: Sendable {
    let perMinute: Int
    private let counts = Mutex<(minute: Int64, byUser: [Int64: Int])>((0, [:]))

    init(perMinute: Int) {
        self.perMinute = perMinute
    }

    /// Counts one report; nil when allowed, else the seconds until the next minute.
    func take(for userID: Int64, now: Date = .now) -> Int? {
        let seconds = Int64(now.timeIntervalSince1970)
        let minute = seconds / 60
        return counts.withLock { counts in
            if counts.minute != minute { counts = (minute, [:]) }
            let used = counts.byUser[userID, default: 0]
            guard used < perMinute else { return Int(60 - seconds % 60) }
            counts.byUser[userID] = used + 1
            return nil
        }
    }
}
