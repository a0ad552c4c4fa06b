import ArgumentParser
import StockroomCore

/// Prints a backup or restore error as its message and exits 2 for a refusal, 1 for anything else. Commands open
/// their database inside it too: while a restore replaces the SQLite file they refuse (exit 2) with its message.
func reportingBackupErrors<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let error as BackupError {
        printError("✘ \(error)")
        throw ExitCode(error.isRefusal ? 2 : 1)
    } catch let error as ExitCode {
        throw error
    } catch {
        printError("✘ \(error)")
        throw ExitCode(1)
    }
}
