import Foundation
import NIOCore

/// What the streams and the sender saw, shared by the event-loop threads and the driver. Times are
/// `NIODeadline.now()` — the monotonic clock of this process — so a latency never mixes two clocks.
final class StreamRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var inits = 0
    private var failedStreams = 0
    private var accepted = 0
    private var sendTimes: [Int: NIODeadline] = [:]
    private var received = Set<Int>()
    private var latencies: [(sequence: Int, latency: TimeAmount)] = []
    private var errors: [String: Int] = [:]
    /// Set before the bench closes its streams itself, so that those closes are not counted as failures.
    private var closing = false

    struct Snapshot {
        var inits: Int
        var failedStreams: Int
        var sent: Int
        var accepted: Int
        var received: Int
        /// Per received notification: its number (its send order) and its latency.
        var latencies: [(sequence: Int, latency: TimeAmount)]
        var errors: [String: Int]
    }

    var snapshot: Snapshot {
        lock.withLock {
            Snapshot(
                inits: inits, failedStreams: failedStreams, sent: sendTimes.count, accepted: accepted,
                received: received.count, latencies: latencies, errors: errors)
        }
    }

    func initArrived() { lock.withLock { inits += 1 } }

    func error(_ kind: String) { lock.withLock { errors[kind, default: 0] += 1 } }

    /// A stream that ended (or never connected) before the bench closed it; `hadInit` says it was counted open.
    func streamFailed(_ kind: String, hadInit: Bool) {
        lock.withLock {
            guard !closing else { return }
            errors[kind, default: 0] += 1
            if !hadInit { failedStreams += 1 }
        }
    }

    func beginClosing() { lock.withLock { closing = true } }

    func sending(_ sequence: Int) { lock.withLock { sendTimes[sequence] = .now() } }

    func accepted(_ sequence: Int) { lock.withLock { accepted += 1 } }

    /// An `update` listing the benchmark notifications `sequences` (newest first, up to 10): each counts once,
    /// in the first update that shows it.
    func updateArrived(_ sequences: [Int], at arrival: NIODeadline) {
        lock.withLock {
            for sequence in sequences where !received.contains(sequence) {
                guard let sent = sendTimes[sequence] else { continue }
                received.insert(sequence)
                latencies.append((sequence, arrival - sent))
            }
        }
    }
}
