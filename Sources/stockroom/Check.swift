import ArgumentParser
import StockroomCore

struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Check that every stock level equals the sum of its ledger movements, every transfer's units in transit and lost what its movements say, and every company's product count its products; exits 1 when one does not."
    )

    func run() async throws {
        let config = try loadConfig()
        let logger = config.makeLogger()
        let database = try await reportingBackupErrors { try await config.makeDatabase(logger: logger) }
        let (mismatches, counts) = try await database.whileRunning {
            try await Migrator(logger: logger).migrate(database)
            return try await database.read {
                (
                    try await LedgerRepository().mismatches($0).map(\.description) + LedgerRepository().transitMismatches($0).map(\.description),
                    try await LedgerRepository().countMismatches($0)
                )
            }
        }
        for mismatch in mismatches { print("✘ \(mismatch)") }
        for count in counts { print("✘ \(count)") }
        if !mismatches.isEmpty { print("\(mismatches.count) stock level(s) or transfer line(s) do not match the ledger.") }
        if !counts.isEmpty { print("\(counts.count) company product count(s) do not match the products.") }
        guard mismatches.isEmpty, counts.isEmpty else { throw ExitCode(1) }
        print("✔ Every stock level matches its ledger, every transfer in transit its movements, every product count its products.")
    }
}
