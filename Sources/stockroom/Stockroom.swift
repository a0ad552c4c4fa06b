import ArgumentParser
import Foundation
import StockroomCore

/// `stockroom [serve|migrate|create-company|create-user|check|import|backup|restore]`; `serve` when no command is given.
@main
struct Stockroom: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stockroom",
        abstract: "Stock, tills and live alerts for shops: one store or many.",
        version: StockroomVersion.current,
        subcommands: [Serve.self, Migrate.self, CreateCompany.self, CreateUser.self, Check.self, Import.self, Backup.self, Restore.self],
        defaultSubcommand: Serve.self
    )
}

/// Loads the configuration, printing each bad setting and exiting 1 instead of a stack of errors.
func loadConfig() throws -> AppConfig {
    do {
        return try AppConfig.load()
    } catch let error as ConfigError {
        printError(error.description)
        throw ExitCode(1)
    }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
