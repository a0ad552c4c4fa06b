import PostgresNIO

/// Recognises an error that PostgreSQL answered to a statement (a deadlock, a constraint, a serialization failure),
/// as against a connection lost on the way: after it the transaction is certainly rolled back, so its work may be
/// tried again. After a lost connection nobody can tell whether a COMMIT sent happened.
enum StatementRefused {
    static func matches(_ error: any Error) -> Bool {
        (error as? PSQLError)?.serverInfo != nil
    }
}
