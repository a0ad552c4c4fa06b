import PostgresNIO
import SQLiteNIO

/// Recognises the error both engines raise when an insert or update breaks a unique index. Services check for
/// duplicates first and answer a precise 409; this catches the race where two requests pass that check together.
public enum UniqueViolation {
    public static func matches(_ error: any Error) -> Bool {
        if let error = error as? PSQLError {
            return error.serverInfo?[.sqlState] == PostgresError.Code.uniqueViolation.raw
        }
        if let error = error as? SQLiteStatementError {
            return error.isUniqueViolation
        }
        if let error = error as? SQLiteError {
            return error.reason == .constraintUniqueFailed || error.reason == .constraintPrimaryKeyFailed
                || (error.reason == .constraint && error.message.contains("UNIQUE"))
        }
        return false
    }
}
