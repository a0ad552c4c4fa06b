import ArgumentParser
import StockroomCore

struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check that every stock level equals the sum of its ledger movements; exits 1 when one does not.")

    func run() async throws {
        let config = try loadConfig()
        let logger = config.makeLogger()
        let database = try await config.makeDatabase(logger: logger)
        let mismatches = try await database.whileRunning {
            try await Migrator(logger: logger).migrate(database)
            return try await database.read { try await LedgerCheck().mismatches($0) }
        }
        guard mismatches.isEmpty else {
            mismatches.forEach { print("✘ \($0)") }
            print("\(mismatches.count) stock level(s) do not match the ledger.")
            throw ExitCode(1)
        }
        print("✔ Every stock level matches its ledger.")
    }
}
