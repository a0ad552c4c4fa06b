import BrowserDriver
import ChildProcesses
import Foundation
import Testing

/// `swift test` on a developer's machine: a missing PostgreSQL or Chromium is named with how to install it, and
/// programs installed elsewhere are found through `STOCKROOM_PG_BIN`, `STOCKROOM_CHROMIUM`, `STOCKROOM_CHROMEDRIVER`.
@Suite("Tests on a developer machine")
struct DeveloperMachineTests {
    @Test("PostgreSQL: STOCKROOM_PG_BIN is where its programs are looked for; without them the message says how to install them")
    func postgresPrograms() throws {
        // setup: the real programs, and an empty folder standing in for a machine without them
        let real = try #require(PostgresCluster.findBinDirectory(environment: [:]), "this machine has PostgreSQL's server programs")
        let empty = FileManager.default.temporaryDirectory.appending(path: "stockroom-no-pg-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: empty) }
        // act + check
        #expect(PostgresCluster.findBinDirectory(environment: ["STOCKROOM_PG_BIN": real.path]) == real)
        #expect(PostgresCluster.findBinDirectory(environment: ["STOCKROOM_PG_BIN": empty.path]) == nil)
        let message = PostgresCluster.missingBinariesMessage(environment: ["STOCKROOM_PG_BIN": empty.path])
        for part in ["initdb", "pg_ctl", empty.path, "apt-get install postgresql", "brew install postgresql", "STOCKROOM_PG_BIN"] {
            #expect(message.contains(part), "\(message)")
        }
    }

    @Test("Chromium and chromedriver: found where Debian puts them, or where the variables say; otherwise named with how to install them")
    func browserPrograms() throws {
        let found = try BrowserPrograms.find(environment: [:])
        #expect(FileManager.default.isExecutableFile(atPath: found.chromium) && FileManager.default.isExecutableFile(atPath: found.chromedriver))
        #expect(try BrowserPrograms.find(environment: ["STOCKROOM_CHROMIUM": found.chromium, "STOCKROOM_CHROMEDRIVER": found.chromedriver]) == found)
        for (variable, name, install) in [
            ("STOCKROOM_CHROMIUM", "Chromium", "apt-get install chromium"),
            ("STOCKROOM_CHROMEDRIVER", "chromedriver", "apt-get install chromium-driver"),
        ] {
            do {
                _ = try BrowserPrograms.find(environment: [variable: "/nonexistent/\(name)"])
                Issue.record("\(variable) pointing nowhere was accepted")
            } catch let missing as BrowserPrograms.Missing {
                for part in [name, "/nonexistent/\(name)", install, variable] {
                    #expect(missing.description.contains(part), "\(missing)")
                }
            }
        }
    }
}
