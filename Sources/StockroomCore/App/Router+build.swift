import Hummingbird

/// All routes behind request logging and the JSON error contract.
func buildRouter(_ dependencies: AppDependencies, routeMethods: RouteMethods) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: RequestLogMiddleware())
    router.add(middleware: ErrorMiddleware(routeMethods: routeMethods))
    let api = router.group("api")
    HealthController(database: dependencies.database).addRoutes(to: api)
    return router
}
