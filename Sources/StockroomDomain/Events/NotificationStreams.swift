import Foundation
import NIOConcurrencyHelpers
import ServiceLifecycle

/// The open live streams, at most one per user: opening a second ends the first. Turns `notificationsChanged`
/// events into signals for the streams concerned. Each stream's queue holds a few signals at most — an update
/// carries the whole current state, so a slow client loses nothing by skipping stale ones and can never make
/// the server buffer without limit. One ticker sends every open stream its heartbeat: a sleeping task and timer per
/// stream cost about 3 KiB each, at 10,000 streams 30 MiB. It visits one of `heartbeatSlices` slices of the streams
/// per tick: 10,000 heartbeats written at once held up every other write for ~200 ms.
public final class NotificationStreams: Service {
    public enum Signal: Sendable, Equatable {
        case update
        case heartbeat
    }

    struct Open {
        let id: UUID
        let openedAt: Date
        let continuation: AsyncStream<Signal>.Continuation
    }

    private let open = NIOLockedValueBox<[Int64: Open]>([:])
    let hub: EventHub
    let events: AsyncStream<DomainEvent>
    let heartbeat: Duration

    public init(events: EventHub, heartbeat: Duration) {
        self.hub = events
        self.events = events.subscribe()
        self.heartbeat = heartbeat
    }

    /// Opens the user's stream, ending any stream the user already had.
    public func connect(userID: Int64) -> (id: UUID, signals: AsyncStream<Signal>) {
        let id = UUID()
        let openedAt = Date.now
        let (signals, continuation) = AsyncStream.makeStream(of: Signal.self, bufferingPolicy: .bufferingNewest(4))
        let previous = open.withLockedValue { streams in
            defer { streams[userID] = Open(id: id, openedAt: openedAt, continuation: continuation) }
            return streams[userID]
        }
        previous?.continuation.finish()
        // Other nodes end this user's older streams there.
        hub.publishToOtherNodes(.streamOpened(userID: userID, streamID: id, openedAt: openedAt))
        return (id, signals)
    }

    /// Forgets the stream when it ends (unless a newer one already replaced it).
    public func disconnect(userID: Int64, id: UUID) {
        let ended = open.withLockedValue { streams -> Open? in
            guard streams[userID]?.id == id else { return nil }
            return streams.removeValue(forKey: userID)
        }
        ended?.continuation.finish()
    }

    /// A stream opened on another node for `userID` at `openedAt`: end the one here if it is older (when two
    /// open at once on two nodes, the newer survives on both sides' reckoning).
    func endOlder(userID: Int64, than openedAt: Date) {
        let ended = open.withLockedValue { streams -> Open? in
            guard let current = streams[userID], current.openedAt < openedAt else { return nil }
            return streams.removeValue(forKey: userID)
        }
        ended?.continuation.finish()
    }

    public var openCount: Int { open.withLockedValue { $0.count } }

    func signal(_ signal: Signal, userIDs: [Int64]) {
        let targets = open.withLockedValue { streams in userIDs.compactMap { streams[$0]?.continuation } }
        for continuation in targets { continuation.yield(signal) }
    }

    /// Signals the open streams of the users that `include` picks (all by default).
    func signalAll(_ signal: Signal, include: (Int64) -> Bool = { _ in true }) {
        let targets = open.withLockedValue { streams in streams.compactMap { include($0.key) ? $0.value.continuation : nil } }
        for continuation in targets { continuation.yield(signal) }
    }

    static let heartbeatSlices: Int64 = 100

    /// Each stream gets a heartbeat every `heartbeat`: a slice of them (by user id) every `heartbeat / slices`.
    private func beatHearts() async {
        var slice: Int64 = 0
        while (try? await Task.sleep(for: heartbeat / Int(Self.heartbeatSlices))) != nil {
            signalAll(.heartbeat) { $0 % Self.heartbeatSlices == slice }
            slice = (slice + 1) % Self.heartbeatSlices
        }
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await self.beatHearts() }
                for await event in self.events {
                    switch event {
                    case .notificationsChanged(let userIDs): self.signal(.update, userIDs: userIDs)
                    case .streamOpened(let userID, _, let openedAt): self.endOlder(userID: userID, than: openedAt)
                    case .resync: self.signalAll(.update)
                    default: break
                    }
                }
                group.cancelAll()
            }
        }
        // Shutting down: end every stream so that its response completes.
        let all = open.withLockedValue { streams in
            defer { streams.removeAll() }
            return Array(streams.values)
        }
        for stream in all { stream.continuation.finish() }
    }
}
