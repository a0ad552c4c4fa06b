import Foundation
import Synchronization

/// Sessions and API tokens already looked up, so a request does not read its caller from the database every time
/// (a till sends its token with every scan). Revocation still ends access at once:
/// - whatever ends or changes a credential — a sign-out, a deleted token, an account edited, deactivated or given a
///   new password — forgets every entry in the transaction that does it, and again once it has committed
///   (`Transaction.forgetCredentials`), on this node;
/// - on PostgreSQL, triggers announce every such change with `NOTIFY` at commit, whichever node or command made it,
///   and each node's event relay forgets its entries when the notice arrives. While the relay's connection is down
///   (or not yet up) nothing is kept: every request reads the database, as before;
/// - a lookup that began before a change cannot store what it read after the change (`generation`);
/// - an entry serves at most a minute after it was read; so a change made behind the server's back (another process
///   writing the same SQLite file) takes effect within a minute at worst.
///
/// Changes are rare beside lookups, so any change forgets everything; the next request of each caller reads again.
public final class CredentialCache: Sendable {
    /// A session as it was read: its account and the record.
    struct Session: Sendable {
        var user: User
        var record: SessionRecord
        var readAt: Date
    }

    /// A token as it was read: its account, its id and when it was last marked used.
    struct Token: Sendable {
        var user: User
        var tokenID: Int64
        var lastUsedAt: Date?
        var readAt: Date
    }

    private struct State {
        var sessions: [String: Session] = [:]
        var tokens: [String: Token] = [:]
        var generation: UInt64 = 0
        var trusted: Bool
    }

    /// Entries kept at most; past it, the cache starts over (a shop has far fewer live sessions and tokens).
    static let limit = 20_000
    private let state: Mutex<State>

    /// `trusted`: entries may be kept from the start (SQLite, one server); false until `resume()` (PostgreSQL,
    /// whose relay must be listening before another node's change can reach this one).
    init(trusted: Bool) {
        state = Mutex(State(trusted: trusted))
    }

    /// Taken before a lookup reads the database; what it read is kept only if nothing was forgotten meanwhile.
    var generation: UInt64 { state.withLock { $0.generation } }

    /// An entry serves for this long after it was read from the database.
    static let maximumAge: TimeInterval = 60

    /// The session read less than a minute before `now`.
    func session(_ digest: String, now: Date) -> Session? {
        state.withLock { $0.sessions[digest] }.flatMap { now.timeIntervalSince($0.readAt) < Self.maximumAge ? $0 : nil }
    }

    /// The token read less than a minute before `now`.
    func token(_ digest: String, now: Date) -> Token? {
        state.withLock { $0.tokens[digest] }.flatMap { now.timeIntervalSince($0.readAt) < Self.maximumAge ? $0 : nil }
    }

    func remember(_ session: Session, digest: String, readAt generation: UInt64) {
        keep(readAt: generation) { $0.sessions[digest] = session }
    }

    func remember(_ token: Token, digest: String, readAt generation: UInt64) {
        keep(readAt: generation) { $0.tokens[digest] = token }
    }

    private func keep(readAt generation: UInt64, _ store: (inout State) -> Void) {
        state.withLock { state in
            guard state.trusted, state.generation == generation else { return }
            if state.sessions.count + state.tokens.count >= Self.limit {
                state.sessions = [:]
                state.tokens = [:]
            }
            store(&state)
        }
    }

    /// Forgets every entry, and every lookup still in flight.
    func forgetAll() { clear(trusted: nil) }

    /// Stops keeping entries (the relay lost its connection: other nodes' changes could be missed).
    func suspend() { clear(trusted: false) }

    /// Keeps entries again, from nothing (the relay listens again; what changed meanwhile is not known).
    func resume() { clear(trusted: true) }

    private func clear(trusted: Bool?) {
        state.withLock { state in
            if let trusted { state.trusted = trusted }
            state.sessions = [:]
            state.tokens = [:]
            state.generation &+= 1
        }
    }

    /// Entries kept now (the tests read it).
    var count: Int { state.withLock { $0.sessions.count + $0.tokens.count } }
}
