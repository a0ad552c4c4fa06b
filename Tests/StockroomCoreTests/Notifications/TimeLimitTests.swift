import Foundation
import Synchronization
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// `TimeLimit`: the event relay's connect and LISTEN are bounded by it, so work that never answers — and does not
/// heed cancellation — must not hold the caller. No wall-clock assertions (they flake on a busy machine): the work
/// here answers only when the test lets it, so any answer the caller gets before that came from the limit.
@Suite("Work within a time limit", .timeLimit(.minutes(1)))
struct TimeLimitTests {
    /// Work that ignores cancellation and answers only when `open` is called.
    final class Gate: Sendable {
        private let waiting = Mutex<(continuation: CheckedContinuation<Int, Never>?, opened: Int?)>((nil, nil))

        /// The work has arrived at the gate and waits there.
        var reached: Bool { waiting.withLock { $0.continuation != nil } }

        func pass() async -> Int {
            await withCheckedContinuation { continuation in
                let opened = waiting.withLock { state -> Int? in
                    if let value = state.opened { return value }
                    state.continuation = continuation
                    return nil
                }
                if let opened { continuation.resume(returning: opened) }
            }
        }

        func open(_ value: Int) {
            waiting.withLock { state in
                state.opened = value
                return state.continuation.take()
            }?.resume(returning: value)
        }
    }

    @Test("work that answers in time gives its answer")
    func answered() async throws {
        #expect(try await TimeLimit.run(.seconds(60)) { 42 } == 42)
    }

    @Test("work that ignores cancellation and does not answer: the caller is answered at the limit; the late answer goes to `abandoned`")
    func late() async throws {
        let gate = Gate()
        let abandoned = Mutex<Int?>(nil)
        await #expect(throws: TimeLimit.Exceeded.self) {
            try await TimeLimit.run(.milliseconds(100)) {
                await gate.pass()
            } abandoned: { value in
                abandoned.withLock { $0 = value }
            }
        }
        gate.open(7)
        for _ in 0..<600 where abandoned.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(50)) }
        #expect(abandoned.withLock { $0 } == 7)
    }

    @Test(
        "the caller cancelled before the work starts, or while it hangs: answered with CancellationError, not at the limit",
        arguments: [false, true])
    func cancelled(whileWaiting: Bool) async throws {
        let gate = Gate()
        let waiting = Task { try await TimeLimit.run(.seconds(600)) { await gate.pass() } }
        if whileWaiting {
            for _ in 0..<1_200 where !gate.reached { try await Task.sleep(for: .milliseconds(50)) }
            #expect(gate.reached)
        }
        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
        gate.open(1)
    }
}
