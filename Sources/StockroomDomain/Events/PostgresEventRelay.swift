import Foundation
import Logging
import NIOSSL
import PostgresNIO
import ServiceLifecycle

/// Carries the events that live streams depend on between nodes sharing one PostgreSQL database: locally published
/// ones go out with `NOTIFY`, and a dedicated `LISTEN` connection hands other nodes' ones to this node's hub.
/// Payloads are ids, never rows. When the listening connection drops, the relay reconnects with backoff and then
/// asks every local stream to refresh, since events may have been missed meanwhile.
public final class PostgresEventRelay: Service {
    static let channel = "stockroom_events"
    /// What the relay asks its listening connection to know it is alive (named, so the connection can be told apart
    /// from others in `pg_stat_activity`: its last query is this or its LISTEN).
    static let question: PostgresQuery = "SELECT 1 /* stockroom relay listening */"
    /// How long connecting and starting to listen may take before the relay tries again.
    static let connectLimit = Duration.seconds(10)
    let client: PostgresClient
    let connection: PostgresConnection.Configuration
    let hub: EventHub
    /// The sessions and tokens this node keeps: forgotten on every change the triggers announce, and not kept while
    /// the listening connection is down.
    let credentials: CredentialCache
    let node = UUID()
    let logger: Logger
    private let outgoing: AsyncStream<DomainEvent>
    private let outgoingContinuation: AsyncStream<DomainEvent>.Continuation

    /// What crosses nodes, as JSON.
    struct Message: Codable {
        var node: UUID
        var changed: [Int64]?
        var opened: Int64?
        var stream: UUID?
        var at: Int64?
        /// An account, session or token changed (sent by the database's triggers, migration 13).
        var credentials: Bool?
    }

    public init(client: PostgresClient, connection: PostgresConnection.Configuration, hub: EventHub, credentials: CredentialCache, logger: Logger) {
        self.client = client
        self.credentials = credentials
        self.connection = connection
        self.hub = hub
        self.logger = logger
        (outgoing, outgoingContinuation) = AsyncStream.makeStream(of: DomainEvent.self, bufferingPolicy: .bufferingNewest(10_000))
        let continuation = outgoingContinuation
        hub.relay { event in
            switch event {
            case .notificationsChanged, .streamOpened: continuation.yield(event)
            default: break
            }
        }
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.send() }
                group.addTask { await self.listen() }
                await group.waitForAll()
            }
        }
    }

    private func send() async {
        for await event in outgoing {
            let message: Message
            switch event {
            case .notificationsChanged(let userIDs): message = Message(node: node, changed: userIDs)
            case .streamOpened(let userID, let streamID, let openedAt):
                message = Message(node: node, opened: userID, stream: streamID, at: openedAt.unixMilliseconds)
            default: continue
            }
            let payload = String(decoding: (try? JSONEncoder().encode(message)) ?? Data(), as: UTF8.self)
            // A failed NOTIFY is retried a few times (the pool may be reconnecting) before the event is given up.
            for attempt in 1...3 {
                do {
                    try await client.query("SELECT pg_notify(\(Self.channel), \(payload))", logger: logger)
                    break
                } catch {
                    logger.error(
                        "Could not relay an event to the other nodes", metadata: ["attempt": "\(attempt)", "error": "\(String(reflecting: error))"])
                    try? await Task.sleep(for: .milliseconds(200 * attempt))
                }
            }
        }
    }

    /// One notice from another node, or from the database's triggers (migration 13).
    private func receive(_ payload: String) {
        guard let message = try? JSONDecoder().decode(Message.self, from: Data(payload.utf8)), message.node != node else { return }
        if message.credentials == true { credentials.forgetAll() }
        if let changed = message.changed { hub.deliver(.notificationsChanged(userIDs: changed)) }
        if let userID = message.opened, let stream = message.stream, let at = message.at {
            hub.deliver(.streamOpened(userID: userID, streamID: stream, openedAt: Date(unixMilliseconds: at)))
        }
    }

    /// A listening connection whose server vanished without a word (a half-open link, a fail-over) raises no error
    /// and delivers nothing: so it is asked a question every few seconds, and one left unanswered closes it — the
    /// relay then stops keeping callers and reconnects.
    private func keepAsking(_ connection: PostgresConnection) async throws {
        struct Unanswered: Error {}
        while true {
            try await Task.sleep(for: .seconds(5))
            let answered = try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask {
                    _ = try await connection.query(Self.question, logger: self.logger)
                    return true
                }
                group.addTask {
                    try await Task.sleep(for: .seconds(5))
                    return false
                }
                let first = try await group.next() ?? false
                // (closing fails the question still waiting, so the group can end)
                if !first { try? await connection.close() }
                group.cancelAll()
                return first
            }
            if !answered { throw Unanswered() }
        }
    }

    /// Hands the connection's notices to this node and keeps asking it a question until one of the two ends (the
    /// connection closed, a question unanswered) or this task is cancelled; then closes the connection and leaves
    /// both to end on their own. Not a task group: a group waits for its children, and a reader that a dropped
    /// connection never finished would keep the relay from reconnecting and its node from shutting down (a CI run
    /// and a full run here hung with the relays never listening again and the nodes' shutdown never ending).
    private func serve(_ connection: PostgresConnection, _ notifications: PostgresNotificationSequence) async throws {
        let (ended, end) = AsyncStream.makeStream(of: Result<Void, any Error>.self, bufferingPolicy: .bufferingNewest(1))
        let reader = Task {
            do {
                for try await notification in notifications { self.receive(notification.payload) }
                end.yield(.success(()))
            } catch { end.yield(.failure(error)) }
        }
        let asker = Task {
            do {
                try await self.keepAsking(connection)
                end.yield(.success(()))
            } catch { end.yield(.failure(error)) }
        }
        var first: Result<Void, any Error>?
        for await result in ended {  // (ends at once when this task is cancelled)
            first = result
            break
        }
        try? await connection.close()
        reader.cancel()
        asker.cancel()
        try first?.get()
    }

    private func listen() async {
        var delay = Duration.milliseconds(250)
        var connectedBefore = false
        while !Task.isCancelled {
            do {
                // Bounded: a connect or LISTEN that never answers would leave this node deaf to the others, and its
                // shutdown waiting, for good (two test runs under load hung so, a relay with no connection that never
                // reconnected, after the test ended the listening connections).
                let (connection, notifications) = try await TimeLimit.run(Self.connectLimit) { [connection, logger] in
                    let opened = try await PostgresConnection.connect(configuration: connection, id: 1, logger: logger)
                    do { return (opened, try await opened.listen(Self.channel)) } catch {
                        try? await opened.close()
                        throw error
                    }
                } abandoned: { opened, _ in
                    try? await opened.close()
                }
                credentials.resume()
                if connectedBefore { hub.deliver(.resync) }
                connectedBefore = true
                delay = .milliseconds(250)
                try await serve(connection, notifications)  // (which closes the connection, however it ends)
            } catch {
                if Task.isCancelled { return }
                logger.warning("Event relay connection lost; reconnecting", metadata: ["error": "\(String(reflecting: error))"])
            }
            // However the listening ended, changes on other nodes may now go unheard.
            credentials.suspend()
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(5))
        }
    }
}
