import ChildProcesses
import Foundation
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// The binary finds its templates and assets wherever it was installed, and says where it looked when it cannot.
@Suite("Finding the web resources")
struct ResourceDirectoryTests {
    @Test("beside the binary, under its prefix's share/stockroom, or at STOCKROOM_RESOURCES; otherwise every place tried is named")
    func locations() throws {
        // setup: a prefix with bin/ and share/stockroom, and the build's own resources
        let root = try Installation.temporaryFolder("resources")
        defer { try? FileManager.default.removeItem(at: root) }
        let built = try WebRenderer.resources()
        let bin = root.appending(path: "bin")
        let share = root.appending(path: "share/stockroom")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: share.deletingLastPathComponent(), withIntermediateDirectories: true)

        // check: nothing there yet — the error lists the bundle beside the binary and the prefix's share folder
        do {
            _ = try ResourceDirectory.locate(configured: nil, executableDirectory: bin)
            Issue.record("found resources in an empty prefix")
        } catch let missing as ResourceDirectory.Missing {
            #expect(missing.searched.contains(bin.appending(path: "stockroom_StockroomCore.resources/Resources").path))
            #expect(missing.searched.contains(share.path))
            #expect(missing.description.contains("STOCKROOM_RESOURCES"))
        }
        // act + check: installed under the prefix
        try FileManager.default.copyItem(at: built, to: share)
        #expect(try ResourceDirectory.locate(configured: nil, executableDirectory: bin).path == share.path)
        // act + check: a configured folder is the only place looked at, even when another copy exists
        #expect(try ResourceDirectory.locate(configured: built.path, executableDirectory: bin).path == built.standardizedFileURL.path)
        #expect(throws: ResourceDirectory.Missing.self) { try ResourceDirectory.locate(configured: root.path, executableDirectory: bin) }
    }

    @Test("a binary without its resources stops at start and says where it looked")
    func binaryWithoutResources() async throws {
        // setup: the binary alone in a folder of its own
        let root = try Installation.temporaryFolder("alone")
        defer { try? FileManager.default.removeItem(at: root) }
        let binary = root.appending(path: "bin/stockroom")
        try FileManager.default.createDirectory(at: binary.deletingLastPathComponent(), withIntermediateDirectories: true)
        // Copied by cp, not in this process: a file this process holds open for writing could be inherited by a
        // child another test spawns meanwhile, and exec would then refuse it ("Text file busy").
        try await ChildProcess.run("/bin/cp", [try StockroomNode.executable, binary.path])
        // act
        let node = try StockroomNode.start(
            name: "alone",
            environment: [
                "STOCKROOM_DATABASE_URL": "sqlite://\(root.path)/shop.sqlite", "STOCKROOM_ADMIN_PASSWORD": TestDatabase.ownerPassword,
            ], executable: binary.path)
        while node.process.exitStatus == nil { try await Task.sleep(for: .milliseconds(50)) }
        // check
        #expect(node.process.exitStatus != 0)
        #expect(node.process.output.contains("cannot find its web resources"), "\(node.process.output)")
        #expect(node.process.output.contains(root.appending(path: "share/stockroom").path), "\(node.process.output)")
    }
}
