import ArgumentParser
import StockroomCore

/// Options shared by the commands that make an account.
struct AccountOptions: ParsableArguments {
    @Option(help: "Sign-in name: 3 to 50 letters, digits, '.', '_' or '-'.")
    var username: String

    @Option(help: "Email address (also accepted at sign-in).")
    var email: String

    @Flag(help: "Read the password from the first line of standard input instead of generating one.")
    var passwordStdin = false

    func password() throws -> String? {
        guard passwordStdin else { return nil }
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            throw ValidationError("--password-stdin was given but standard input had no password")
        }
        return line
    }
}

/// Runs `body` with migrated provisioning, printing domain errors as one clear line.
func withProvisioning<T: Sendable>(_ body: (AccountProvisioning) async throws -> T) async throws -> T {
    let config = try loadConfig()
    let logger = config.makeLogger()
    let database = try await reportingBackupErrors { try await config.makeDatabase(logger: logger) }
    do {
        return try await database.whileRunning {
            try await Migrator(logger: logger).migrate(database)
            return try await body(AccountProvisioning(database: database, hasher: PasswordHasher(cost: config.bcryptCost)))
        }
    } catch let error as ShopError {
        printError("error: \(error.message)")
        throw ExitCode(1)
    }
}

func printPassword(_ generated: String?) {
    if let generated {
        print("Generated password (shown once): \(generated)")
    }
}

struct CreateCompany: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Add a company (a new tenant) with its first store and owner.")

    @Option(help: "Company name.")
    var name: String

    @Option(help: "Name of the company's first store.")
    var storeName = "Main store"

    @OptionGroup(title: "Owner account")
    var owner: AccountOptions

    func run() async throws {
        let owner = AccountProvisioning.Owner(username: owner.username, email: owner.email, password: try owner.password())
        let (name, storeName) = (name, storeName)
        let created = try await withProvisioning { try await $0.createCompany(name: name, storeName: storeName, owner: owner) }
        print("Created company \(created.company.id) '\(created.company.name)', store \(created.store.id) and owner '\(created.owner.username)'.")
        printPassword(created.generatedPassword)
    }
}

struct CreateUser: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Add an active account to a company.")

    @Option(help: "Id of the company.")
    var company: Int64

    @Option(help: "Id of the user's home store (default: the company's first store).")
    var store: Int64?

    @Option(help: "owner, admin or vendor (root, vendedor, EMPLOYEE are accepted too).")
    var role: String

    @OptionGroup(title: "Account")
    var account: AccountOptions

    func validate() throws {
        guard Role(input: role) != nil else { throw ValidationError("--role must be owner, admin or vendor") }
    }

    func run() async throws {
        let (company, store, role) = (company, store, Role(input: role)!)
        let (username, email, password) = (account.username, account.email, try account.password())
        let created = try await withProvisioning {
            try await $0.createUser(companyID: company, storeID: store, username: username, email: email, password: password, role: role)
        }
        print("Created \(created.user.role.rawValue) '\(created.user.username)' (id \(created.user.id)) in store \(created.user.storeID).")
        printPassword(created.generatedPassword)
    }
}
