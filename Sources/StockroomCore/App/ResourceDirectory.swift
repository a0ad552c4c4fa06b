import Foundation

/// Finds the folder holding the pages' `templates/`, `public/` assets and the `openapi/` document, so the binary runs
/// from any directory. SwiftPM's own lookup (`Bundle.module`) knows only the bundle beside the executable and the
/// build folder of the machine that compiled it, and stops the process when neither is there; an installed binary
/// has neither. Looked for, in order:
///
/// 1. `STOCKROOM_RESOURCES`, when set (and only there: a wrong setting must not quietly fall back to another copy);
/// 2. SwiftPM's bundle beside the executable (`swift run`, the tests, a release folder copied whole);
/// 3. `../share/stockroom` from the executable's folder (what `deploy/install.sh` installs under a prefix).
public enum ResourceDirectory {
    /// SwiftPM's name for this package's resource bundle: `<package>_<target>`.
    static let bundleName = "stockroom_StockroomCore"

    /// Where the resources were looked for and not found.
    public struct Missing: Error, CustomStringConvertible {
        public let searched: [String]

        public var description: String {
            "Stockroom cannot find its web resources (templates/layout.mustache); looked in:\n"
                + searched.map { "  - \($0)" }.joined(separator: "\n")
                + "\nInstall with deploy/install.sh, keep \(bundleName).resources beside the binary, or set STOCKROOM_RESOURCES."
        }
    }

    /// The resource folder, or `Missing` listing every place tried.
    public static func locate(configured: String?, executableDirectory: URL = ResourceDirectory.executableDirectory()) throws -> URL {
        let candidates =
            configured.map { [URL(filePath: $0)] } ?? [
                executableDirectory.appending(path: "\(bundleName).resources/Resources"),
                // macOS bundles keep resources one level down.
                executableDirectory.appending(path: "\(bundleName).bundle/Contents/Resources/Resources"),
                executableDirectory.deletingLastPathComponent().appending(path: "share/stockroom"),
            ]
        for candidate in candidates where FileManager.default.fileExists(atPath: candidate.appending(path: "templates/layout.mustache").path) {
            return candidate.standardizedFileURL
        }
        throw Missing(searched: candidates.map { $0.standardizedFileURL.path })
    }

    /// The running executable's folder, symbolic links resolved (a `/usr/bin/stockroom` link to an installed prefix
    /// finds that prefix's resources).
    public static func executableDirectory() -> URL {
        let path =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? Bundle.main.executableURL?.resolvingSymlinksInPath().path ?? CommandLine.arguments[0]
        return URL(filePath: path).deletingLastPathComponent()
    }
}
