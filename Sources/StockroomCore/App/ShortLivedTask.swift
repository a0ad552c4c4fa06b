import Hummingbird

/// Runs `work` in a child task that ends with it, and returns its result (cancellation and task-locals carry over).
///
/// Why: a Swift task keeps every slab of async-frame memory it ever grew until the task itself ends, and a
/// connection's task lives as long as its connection. A live stream's task would otherwise hold, for hours, the
/// deepest path it once ran (the middleware, the token lookup's SQL, the unread query): about 20 KiB a stream.
/// Running that work in a child returns its slabs when it finishes; a task costs about a microsecond.
func inShortLivedTask<Value: Sendable>(_ work: @escaping @Sendable () async throws -> Value) async throws -> Value {
    try await withThrowingTaskGroup(of: Value.self) { group in
        group.addTask(operation: work)
        // A child that returns gives its value; one that throws rethrows here. `next()` is nil only for an empty group.
        return try await group.next()!
    }
}

/// The router's responder (middleware, authentication, the route) run in a short-lived task per request, so the
/// connection's own task stays shallow; a response body (a live stream) still runs on the connection's task.
struct ShortLivedTaskResponder<Base: HTTPResponder>: HTTPResponder where Base.Context: Sendable {
    let base: Base

    @Sendable func respond(to request: Request, context: Base.Context) async throws -> Response {
        try await inShortLivedTask { try await base.respond(to: request, context: context) }
    }
}
