import ChildProcesses
import Foundation
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// The first owner's generated password never reaches a log (InstallTests checks the running server's output and
/// the file it writes; these check where it goes and how the file is made).
@Suite("The first password")
struct FirstPasswordTests {
    @Test("on a terminal it is shown there; otherwise it goes to a file beside the SQLite database, or in the working directory")
    func destination() throws {
        let sqlite = try AppConfig(values: ["STOCKROOM_DATABASE_URL": "sqlite:///var/lib/stockroom/stockroom.sqlite"])
        let postgres = try AppConfig(values: ["STOCKROOM_DATABASE_URL": "postgres://stockroom@127.0.0.1/stockroom"])
        #expect(FirstPassword.destination(for: sqlite, standardOutputIsTerminal: true) == .terminal)
        #expect(
            FirstPassword.destination(for: sqlite, standardOutputIsTerminal: false) == .file(URL(filePath: "/var/lib/stockroom/first-owner-password"))
        )
        #expect(
            FirstPassword.destination(for: postgres, standardOutputIsTerminal: false)
                == .file(URL(filePath: FileManager.default.currentDirectoryPath).appending(path: "first-owner-password").standardizedFileURL))
    }

    @Test("the file is readable by its owner only, even over a readable file left before, and a link in its place is not followed")
    func privateFile() throws {
        // setup: a readable file from an earlier start, and a link planted where the password goes
        let folder = try Installation.temporaryFolder("password")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appending(path: FirstPassword.fileName)
        let target = folder.appending(path: "elsewhere")
        try "old".write(to: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        try "untouched".write(to: target, atomically: true, encoding: .utf8)
        let link = folder.appending(path: "link")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
        // act
        try FirstPassword.writePrivately("username: admin\npassword: secret-1\n", to: file)
        // check
        #expect(try String(contentsOf: file, encoding: .utf8) == "username: admin\npassword: secret-1\n")
        #expect(try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int == 0o600)
        #expect(throws: (any Error).self) { try FirstPassword.writePrivately("password: x\n", to: link) }
        #expect(try String(contentsOf: target, encoding: .utf8) == "untouched")
    }

    @Test("a server started on a terminal shows the password there and writes no file")
    func shownOnATerminal() async throws {
        // setup: util-linux `script` gives the server a terminal, as an operator's shell would
        let folder = try Installation.temporaryFolder("tty")
        defer { try? FileManager.default.removeItem(at: folder) }
        let port = Processes.freeLoopbackPort()
        let terminal = try RunningProcess(
            "/usr/bin/script", ["-qfec", "exec '\(try StockroomNode.executable)' serve", "/dev/null"],
            environment: [
                "STOCKROOM_DATABASE_URL": "sqlite://\(folder.path)/shop.sqlite", "STOCKROOM_PORT": String(port), "STOCKROOM_BCRYPT_COST": "4",
            ], directory: folder.path, logPath: folder.appending(path: "terminal.log").path)
        // act: wait for it to listen
        for _ in 0..<600 where terminal.exitStatus == nil && !terminal.output.contains("listening on") {
            try await Task.sleep(for: .milliseconds(100))
        }
        let shown = terminal.output
        await terminal.terminate()
        // check
        #expect(shown.contains("Sign in as 'admin' with password: "), "\(shown)")
        #expect(!FileManager.default.fileExists(atPath: folder.appending(path: FirstPassword.fileName).path))
    }
}
