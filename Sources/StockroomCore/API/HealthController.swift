import Hummingbird
import Logging

/// `GET /api/health` says the process answers; `GET /api/health/ready` also proves the database does, and names the
/// running version (after an upgrade, the way to see that the new binary is the one answering).
struct HealthController {
    let database: any DatabaseClient

    struct Status: ResponseEncodable {
        var status: String
        var database: String?
        var version: String?
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("health") { _, _ in Status(status: "Ok") }
        group.get("health/ready") { _, context in
            do {
                try await database.checkAnswers()
            } catch {
                context.logger.warning("Readiness check failed: \(String(reflecting: error))")
                throw AppError(.serviceUnavailable, code: "database_unavailable", "The database is not answering")
            }
            return Status(status: "Ok", database: database.engine.rawValue, version: StockroomVersion.current)
        }
    }
}
