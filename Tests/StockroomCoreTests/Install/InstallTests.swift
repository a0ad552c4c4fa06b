import BrowserDriver
import ChildProcesses
import Foundation
import Testing

@testable import StockroomCore
@testable import StockroomDomain

/// README, "Install on a server" and "Upgrade", followed by a machine as far as one can without systemd running:
/// the install script into a prefix, the settings edited, the installed binary started as its unit starts it (from
/// another directory, with the unit's settings file), the first password read from its file, a real browser signing
/// in through the pages; then the same install again as an upgrade.
@Suite("Installing and upgrading", .serialized)
struct InstallTests {
    @Test("install.sh installs a prefix whose binary runs from another directory, signs in through the pages, and upgrades in place")
    func installRunAndUpgrade() async throws {
        // setup: a prefix and a data directory of their own, standing in for /usr/local and /var/lib/stockroom
        let root = try Installation.temporaryFolder("install")
        defer { try? FileManager.default.removeItem(at: root) }
        let prefix = root.appending(path: "prefix")
        let data = root.appending(path: "data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)

        // act: install (the build is this test's own; without --from-build the script builds the release)
        let told = try await Installation.install(["--prefix", prefix.path, "--from-build", try Installation.buildFolder])

        // check: the files, and the next steps printed
        let binary = prefix.appending(path: "bin/stockroom").path
        let unitPath = prefix.appending(path: "lib/systemd/system/stockroom.service").path
        let settingsPath = prefix.appending(path: "etc/stockroom/stockroom.env").path
        #expect(FileManager.default.isExecutableFile(atPath: binary))
        #expect(FileManager.default.fileExists(atPath: prefix.appending(path: "share/stockroom/templates/layout.mustache").path))
        #expect(FileManager.default.fileExists(atPath: prefix.appending(path: "share/stockroom/openapi/openapi.json").path))
        #expect(told.contains("Installed Stockroom \(StockroomVersion.current)"), "\(told)")
        #expect(told.contains("useradd --system") && told.contains("systemctl enable --now stockroom"), "\(told)")
        #expect(told.contains("systemctl link \(unitPath)"), "a unit outside systemd's path is linked by its path: \(told)")
        #expect(try await ChildProcess.run(binary, ["--version"]).trimmingCharacters(in: .whitespacesAndNewlines) == StockroomVersion.current)

        // check: the unit — its own account, data directory, restart policy, settings file, the installed binary
        let unit = Installation.unitSettings(try String(contentsOfFile: unitPath, encoding: .utf8))
        let service = try #require(unit["Service"])
        #expect(service["User"] == "stockroom" && service["Group"] == "stockroom")
        #expect(service["StateDirectory"] == "stockroom" && service["WorkingDirectory"] == "/var/lib/stockroom")
        #expect(service["Restart"] == "on-failure")
        #expect(service["EnvironmentFile"] == settingsPath)
        #expect(service["ExecStart"] == "\(binary) serve")
        #expect(unit["Install"]?["WantedBy"] == "multi-user.target")
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze") {
            // systemd's own reading: it exits 0 on unknown keys too, but says so
            let verdict = try await ChildProcess.run("/usr/bin/systemd-analyze", ["verify", "--man=no", unitPath])
            #expect(verdict.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(verdict)")
        }

        // act: edit the settings as README says (here: the database in this test's data directory, this machine only)
        var settings = try String(contentsOfFile: settingsPath, encoding: .utf8)
        settings = Installation.setting("STOCKROOM_DATABASE_URL", to: "sqlite://\(data.path)/stockroom.sqlite", in: settings)
        settings = Installation.setting("STOCKROOM_HOST", to: "127.0.0.1", in: settings)
        settings = Installation.setting("STOCKROOM_BCRYPT_COST", to: "4", in: settings)
        try settings.write(toFile: settingsPath, atomically: true, encoding: .utf8)

        // act: start it as its unit does — ExecStart, with the EnvironmentFile's settings — from another directory
        let environment = Installation.environmentFile(settings)
        let command = try #require(service["ExecStart"]).split(separator: " ").map(String.init)
        #expect(command.dropFirst() == ["serve"])
        let node = try await StockroomNode.startReady(name: "installed", environment: environment, executable: command[0])
        do {
            // check: the installed resources serve the pages, and it says which version answers
            #expect(node.directory.path != prefix.path && !node.directory.path.hasPrefix(prefix.path))
            let ready = try await node.request(.get, "/api/health/ready")
            #expect(String(buffer: try #require(ready.body)).contains(#""version":"\#(StockroomVersion.current)""#))
            #expect(node.process.output.contains("web resources: \(prefix.path)/share/stockroom"), "\(node.process.output)")

            // check: the first password is in a file only the service's account reads, and in no output
            let passwordFile = data.appending(path: FirstPassword.fileName).path
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: passwordFile)[.posixPermissions] as? Int)
            #expect(mode == 0o600)
            let lines = try String(contentsOfFile: passwordFile, encoding: .utf8).split(separator: "\n")
            #expect(lines.first == "username: admin")
            let password = String(try #require(lines.last?.split(separator: " ").last))
            #expect(password.count >= 12)
            #expect(!node.process.output.contains(password), "the password reached standard output or the log")
            #expect(node.process.output.contains(passwordFile), "the log says where the password is")

            // act + check: a real browser signs in through the sign-in page with it
            try await WebDriver.session { browser in
                try await browser.signIn(at: "http://127.0.0.1:\(node.port)", "admin", password)
                #expect(try await browser.script("return location.pathname") as? String == "/")
                #expect(try await browser.text("h1") == "Dashboard")
            }
        } catch {
            await node.process.terminate()
            print([node].logs)
            throw error
        }
        #expect(await node.process.terminate() == 0, "a graceful shutdown on SIGTERM, as systemd stops it")

        // act: upgrade — the same command again, over the running installation's files
        let upgrade = try await Installation.install(["--prefix", prefix.path, "--from-build", try Installation.buildFolder])

        // check: the edited settings are kept, and the upgraded binary starts on the same data without a second owner
        #expect(upgrade.contains("kept \(settingsPath)"), "\(upgrade)")
        #expect(try String(contentsOfFile: settingsPath, encoding: .utf8) == settings)
        let upgraded = try await StockroomNode.startReady(name: "upgraded", environment: environment, executable: command[0])
        let output = upgraded.process.output
        #expect(await upgraded.process.terminate() == 0)
        #expect(!output.contains("Created company"), "\(output)")
        #expect(!output.contains("Applied migration"), "nothing left to migrate: \(output)")
    }

    @Test("CHANGELOG's newest entry is this build's version")
    func changelogNamesThisVersion() throws {
        let changelog = try String(contentsOf: Installation.repository.appending(path: "CHANGELOG.md"), encoding: .utf8)
        let newest = try #require(changelog.split(separator: "\n").first { $0.hasPrefix("## ") })
        #expect(newest.hasPrefix("## \(StockroomVersion.current) "), "\(newest)")
    }
}
