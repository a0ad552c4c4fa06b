import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// Everything a route needs, built once at start.
public struct AppDependencies: Sendable {
    public let config: AppConfig
    public let database: any DatabaseClient
    public let hasher: PasswordHasher
    public let logger: Logger
    public let authenticator: Authenticator
    public let sessions: SessionService
    public let throttle: LoginThrottle
    /// Domain events, published after commit.
    public let events: EventHub
    /// The open live notification streams.
    public let streams: NotificationStreams
    /// What `/metrics` reports.
    public let metrics: ServerMetrics
    /// The staff pages' templates and assets.
    public let web: WebRenderer
    /// This node's last log lines, for `GET /api/debug/logs`.
    public let recentLog: RecentLog
}

/// Builds the Stockroom server: database, migrations and first-start bootstrap before it listens, then the router.
/// `configureRouter` lets tests mount extra routes behind the same middleware.
public func buildApplication(
    config: AppConfig,
    configureRouter: (Router<AppRequestContext>, AppDependencies) -> Void = { _, _ in }
) async throws -> some ApplicationProtocol {
    let recentLog = RecentLog()
    let logger = config.makeLogger(keepingIn: recentLog)
    let database = try await config.makeDatabase(logger: logger)
    let hasher = PasswordHasher(cost: config.bcryptCost)
    let authenticator = Authenticator(database: database, sessionLifetime: config.sessionLifetime)
    let events = EventHub()
    let throttle = LoginThrottle(maxFailures: config.loginMaxFailures, window: TimeInterval(config.loginLockoutMinutes * 60))
    let sessions = SessionService(
        database: database, hasher: hasher, authenticator: authenticator, throttle: throttle,
        // A hash of a random password at the configured cost: what an unknown login is checked against.
        decoyHash: try await hasher.hash(SecretToken.generate()))
    let streams = NotificationStreams(events: events, heartbeat: .seconds(config.streamHeartbeatSeconds))
    let dependencies = AppDependencies(
        config: config, database: database, hasher: hasher, logger: logger, authenticator: authenticator, sessions: sessions,
        throttle: throttle, events: events, streams: streams, metrics: ServerMetrics(),
        web: try await WebRenderer.load(resources: try ResourceDirectory.locate(configured: config.resourcesPath)), recentLog: recentLog)
    let routeMethods = RouteMethods()
    let router = buildRouter(dependencies, routeMethods: routeMethods)
    configureRouter(router, dependencies)
    routeMethods.record(router)

    var services: [any Service] = [database]
    if case .postgres(let url) = config.database, let postgres = database as? PostgresDatabaseClient {
        // Several nodes may share this database: carry stream events between them.
        services.append(
            PostgresEventRelay(client: postgres.client, connection: url.connection, hub: events, credentials: postgres.credentials, logger: logger))
    }
    services += [NotificationTriggers(database: database, events: events, logger: logger), dependencies.streams]
    let backups = config.scheduledBackups(logger: logger)
    if let backups { services.append(backups) }
    var app = Application(
        responder: ShortLivedTaskResponder(base: router.buildResponder()),
        server: try config.serverBuilder(),
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "Stockroom"),
        // The database comes first so that it shuts down last, after the server has finished its requests.
        services: services,
        logger: logger
    )
    app.beforeServerStarts {
        config.announceAddress(logger: logger)
        logger.info("Database: \(config.databaseDescription); web resources: \(dependencies.web.resources.path)")
        logger.info("Business time zone: \(config.timeZone.identifier); currency for companies without one: \(config.currency)")
        for warning in config.startWarnings { logger.warning("\(warning)") }
        try await Migrator(logger: logger).migrate(database)
        try await CompanyRepository().giveCurrency(config.currency, database)
        try await SalesRollup(clock: LocalClock(timeZone: config.timeZone)).prepare(database, logger: logger)
        let provisioning = AccountProvisioning(database: database, hasher: dependencies.hasher)
        let firstPassword = FirstPassword.destination(for: config)
        if config.adminPassword == nil, try await database.read({ try await IdentityRepository().countCompanies($0) }) == 0 {
            try firstPassword.checkWritable()
        }
        if let created = try await provisioning.bootstrapIfEmpty(config) {
            logger.notice("Created company '\(created.company.name)', store '\(created.store.name)' and owner '\(created.owner.username)'")
            if let password = created.generatedPassword {
                try firstPassword.deliver(password, username: created.owner.username, logger: logger)
            }
        }
    }
    // After the block above: the first backup waits for the migrated, bootstrapped database.
    if let backups { app.beforeServerStarts { backups.databaseIsReady() } }
    return app
}
