import NIOConcurrencyHelpers

/// A fixed set of connections handed out one caller at a time; callers beyond the set wait in order.
/// SQLite's readers are one such set (the writer is `GroupCommit`).
final class AsyncResourcePool<Resource: Sendable>: Sendable {
    private struct State {
        var available: [Resource]
        var waiters: [CheckedContinuation<Resource, Never>] = []
    }

    private let state: NIOLockedValueBox<State>
    let all: [Resource]

    init(_ resources: [Resource]) {
        precondition(!resources.isEmpty, "a pool needs at least one resource")
        self.all = resources
        self.state = NIOLockedValueBox(State(available: resources))
    }

    nonisolated(nonsending) func withResource<T>(_ body: (Resource) async throws -> T) async throws -> T {
        let resource = await acquire()
        defer { release(resource) }
        return try await body(resource)
    }

    /// Runs `body` on every resource once none is in use (waiting for those in use to come back), then hands them back.
    func withAll(_ body: ([Resource]) -> Void) async {
        var held: [Resource] = []
        for _ in all { held.append(await acquire()) }
        body(held)
        for resource in held { release(resource) }
    }

    private func acquire() async -> Resource {
        if let resource = state.withLockedValue({ $0.available.popLast() }) {
            return resource
        }
        return await withCheckedContinuation { continuation in
            let resource: Resource? = state.withLockedValue { state in
                if let resource = state.available.popLast() { return resource }
                state.waiters.append(continuation)
                return nil
            }
            if let resource { continuation.resume(returning: resource) }
        }
    }

    private func release(_ resource: Resource) {
        let waiter: CheckedContinuation<Resource, Never>? = state.withLockedValue { state in
            guard !state.waiters.isEmpty else {
                state.available.append(resource)
                return nil
            }
            return state.waiters.removeFirst()
        }
        waiter?.resume(returning: resource)
    }
}
