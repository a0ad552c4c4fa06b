import Synchronization

/// Work that must answer within a time or be given up — even work that does not heed cancellation, which a task
/// group would still wait for: the caller is answered at the limit (or when it is cancelled itself), and the work
/// is cancelled and left to end on its own; `abandoned` gets its result if it comes after all.
enum TimeLimit {
    struct Exceeded: Error, CustomStringConvertible {
        let limit: Duration
        var description: String { "no answer within \(limit)" }
    }

    static func run<T: Sendable>(
        _ limit: Duration, _ work: @escaping @Sendable () async throws -> T, abandoned: @escaping @Sendable (T) async -> Void = { _ in }
    ) async throws -> T {
        let waiting = Mutex<CheckedContinuation<T, any Error>?>(nil)
        let tasks = Mutex<[Task<Void, Never>]>([])
        let answer = { @Sendable (result: Result<T, any Error>) -> Bool in
            guard let continuation = waiting.withLock({ $0.take() }) else { return false }
            continuation.resume(with: result)
            for task in tasks.withLock({ $0 }) { task.cancel() }
            return true
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                waiting.withLock { $0 = continuation }
                // (outside any transaction of the caller's: a task left running must not join one from another thread)
                let worker = Task {
                    let result: Result<T, any Error>
                    do { result = .success(try await Transaction.$current.withValue(nil) { try await work() }) } catch { result = .failure(error) }
                    if !answer(result), case .success(let value) = result { await abandoned(value) }
                }
                let timer = Task {
                    try? await Task.sleep(for: limit)
                    if !Task.isCancelled { _ = answer(.failure(Exceeded(limit: limit))) }
                }
                tasks.withLock { $0 = [worker, timer] }
                // (answered before the tasks were recorded, or cancelled before the handler could answer: now)
                if Task.isCancelled { _ = answer(.failure(CancellationError())) }
                if waiting.withLock({ $0 == nil }) {
                    worker.cancel()
                    timer.cancel()
                }
            }
        } onCancel: {
            _ = answer(.failure(CancellationError()))
        }
    }
}
