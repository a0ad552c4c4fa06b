import ArgumentParser
import Foundation
import StockroomCore

struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import products from a CSV file into one store: every row or none.",
        discussion: "Columns are recognised by English or Spanish headers (barcode/codigo, name/nombre, price/precio, …).")

    @Argument(help: "The CSV file.")
    var file: String

    @Option(help: "The company's id.")
    var company: Int64

    @Option(help: "The store whose stock the file sets (default: the company's first store).")
    var store: Int64?

    func run() async throws {
        let config = try loadConfig()
        let logger = config.makeLogger()
        guard let data = FileManager.default.contents(atPath: file) else {
            printError("Cannot read \(file).")
            throw ExitCode(1)
        }
        let (text, encoding) = CSVText.decode([UInt8](data))
        let parsed = try ProductImport(csv: text, limits: ProductImport.localLimits)
        printError("Read \(file) as \(encoding.rawValue), \(CSV.separatorName(parsed.delimiter))-separated.")
        guard parsed.errors.isEmpty else {
            for error in parsed.errors.prefix(50) {
                printError("line \(error.row)\(error.field.map { " (\($0))" } ?? ""): \(error.message)")
            }
            printError("\(parsed.errors.count) invalid row(s); nothing was imported.")
            throw ExitCode(1)
        }
        let database = try await reportingBackupErrors { try await config.makeDatabase(logger: logger) }
        let result = try await database.whileRunning {
            try await Migrator(logger: logger).migrate(database)
            let storeID = try await database.read { try await IdentityRepository().firstStore(companyID: company, $0) }?.id
            guard let storeID = store ?? storeID else {
                printError("Company \(company) has no store.")
                throw ExitCode(1)
            }
            let service = ImportService(
                database: database, catalogService: CatalogService(database: database, stockLedger: StockLedger(events: EventHub())))
            return try await service.run(parsed, companyID: company, storeID: storeID, actor: nil) { done, total in
                FileHandle.standardError.write(Data(("\r" + ProgressBar.render(done: done, total: total)).utf8))
            }
        }
        FileHandle.standardError.write(Data("\n".utf8))
        print("Imported \(result.imported) product(s): \(result.created) new, \(result.updated) updated.")
    }
}
