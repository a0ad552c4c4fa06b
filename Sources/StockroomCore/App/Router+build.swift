import Hummingbird

/// All routes behind request logging and the JSON error contract; `/api` behind authentication.
func buildRouter(_ dependencies: AppDependencies, routeMethods: RouteMethods) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: RequestLogMiddleware())
    if !dependencies.config.allowedOrigins.isEmpty {
        router.add(middleware: AllowedOriginsCORS(allowedOrigins: dependencies.config.allowedOrigins))
    }
    router.add(middleware: RequestMetricsMiddleware(metrics: dependencies.metrics))
    let currency = CompanyCurrency(database: dependencies.database, fallback: dependencies.config.currency)
    let pages = Pages(web: dependencies.web, timeZone: dependencies.config.timeZone, currency: currency)
    router.add(
        middleware: ErrorMiddleware(routeMethods: routeMethods) { error, request in
            try? pages.errorPage(error, request: request, caller: nil)
        })
    router.add(middleware: AssetFiles(publicDirectory: dependencies.web.publicDirectory, logger: dependencies.logger))
    MetricsController(metrics: dependencies.metrics, dependencies: dependencies).addRoutes(to: router)
    let config = dependencies.config
    let csrf = CSRFCheck(allowedOrigins: config.allowedOrigins, trustProxy: config.trustProxy, servedOverHTTPS: config.secureCookies)
    let cookies = SessionCookies(config: config)
    let authentication = AuthMiddleware(authenticator: dependencies.authenticator, cookies: cookies, csrf: csrf, trustProxy: config.trustProxy)
    let api = router.group("api").add(middleware: authentication)
    let database = dependencies.database
    let users = UserService(database: database, hasher: dependencies.hasher, throttle: dependencies.throttle, events: dependencies.events)
    HealthController(database: database).addRoutes(to: api)
    OpenAPIController(resources: dependencies.web.resources).addRoutes(to: api)
    SessionController(sessions: dependencies.sessions, cookies: cookies, csrf: csrf).addRoutes(to: api)
    let tokens = TokenService(database: database)
    TokenController(tokens: tokens).addRoutes(to: api)
    UserController(users: users).addRoutes(to: api)
    ApplicationController(users: users).addRoutes(to: api)
    let stores = StoreService(database: database)
    StoreController(stores: stores).addRoutes(to: api)
    let audit = AuditService(database: database)
    AuditController(audit: audit, timeZone: config.timeZone).addRoutes(to: api)
    let inventory = StockLedger(events: dependencies.events)
    let stock = StockService(database: database, stockLedger: inventory)
    let catalog = CatalogService(database: database, stockLedger: inventory)
    ProductController(catalog: catalog).addRoutes(to: api)
    ImportController(imports: ImportService(database: database, catalogService: catalog), currency: currency).addRoutes(to: api)
    CategoryController(categories: CategoryService(database: database)).addRoutes(to: api)
    let idempotency = Idempotency(database: database)
    StoreInventoryController(stock: stock, idempotency: idempotency).addRoutes(to: api)
    StockMovementController(stock: stock, timeZone: config.timeZone).addRoutes(to: api)
    let suppliers = SupplierService(database: database)
    SupplierController(suppliers: suppliers).addRoutes(to: api)
    let purchasing = PurchaseOrderService(database: database, stockLedger: inventory, events: dependencies.events)
    PurchaseOrderController(orders: purchasing, idempotency: idempotency).addRoutes(to: api)
    let transfers = TransferService(database: database, stockLedger: inventory, events: dependencies.events)
    TransferController(transfers: transfers, idempotency: idempotency).addRoutes(to: api)
    let sales = SaleService(database: database, stockLedger: inventory, events: dependencies.events, clock: LocalClock(timeZone: config.timeZone))
    let saleController = SaleController(sales: sales, idempotency: idempotency, timeZone: config.timeZone)
    saleController.addRoutes(to: api)
    BillController(sales: sales, idempotency: idempotency, timeZone: config.timeZone).addRoutes(to: api)
    SettingsController(users: users, sales: sales, currency: currency).addRoutes(to: api)
    let notifications = NotificationService(database: database, events: dependencies.events)
    NotificationController(notifications: notifications, streams: dependencies.streams).addRoutes(to: api)
    let reports = ReportService(database: database, clock: LocalClock(timeZone: config.timeZone))
    ReportController(reports: reports).addRoutes(to: api)
    DebugController(users: users, recentLog: dependencies.recentLog).addRoutes(to: api)
    // The staff pages: each area's pages read through the services its API controllers call, parsing the query as
    // those controllers do, so a page shows what the API answers.
    let web = router.group().add(middleware: authentication)
    WebController(pages: pages, sessions: dependencies.sessions, cookies: cookies, reports: reports, sales: sales, csrf: csrf).addRoutes(to: web)
    ReportPage(pages: pages, reports: reports, stores: stores).addRoutes(to: web)
    let productPages = ProductPages(pages: pages, catalog: catalog, stores: stores, categories: CategoryService(database: database))
    productPages.addRoutes(to: web)
    AccountPages(
        pages: pages, users: users, sales: sales, notifications: notifications, products: productPages, tokens: tokens
    ).addRoutes(to: web)
    LabelPages(pages: pages, catalog: catalog).addRoutes(to: web)
    DocsPage(pages: pages).addRoutes(to: web)
    CompanyPages(pages: pages, stores: stores, audit: audit, products: productPages).addRoutes(to: web)
    SalePages(pages: pages, sales: sales, products: productPages).addRoutes(to: web)
    StockPages(pages: pages, products: productPages, stock: stock, transfers: transfers).addRoutes(to: web)
    SupplierPages(pages: pages, suppliers: suppliers).addRoutes(to: web)
    PurchaseOrderPages(pages: pages, orders: purchasing, suppliers: suppliers, products: productPages).addRoutes(to: web)
    TransferPages(pages: pages, transfers: transfers, stores: stores).addRoutes(to: web)
    ExportController(catalog: catalog, stock: stock, sales: sales, timeZone: config.timeZone, currency: currency).addRoutes(to: api)
    return router
}
