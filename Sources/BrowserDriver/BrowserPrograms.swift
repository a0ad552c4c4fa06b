import Foundation

/// The browser and its WebDriver server, found where Debian, Homebrew or Google install them, or named by
/// `STOCKROOM_CHROMIUM` and `STOCKROOM_CHROMEDRIVER`. A developer without them reads which one is missing and how to get
/// it, rather than a failed spawn.
public struct BrowserPrograms: Sendable, Equatable {
    public let chromium: String
    public let chromedriver: String

    public struct Missing: Error, CustomStringConvertible {
        public let description: String
    }

    static let chromiumPlaces = [
        "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome",
        "/Applications/Chromium.app/Contents/MacOS/Chromium", "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    ]
    static let chromedriverPlaces = [
        "/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver", "/usr/local/bin/chromedriver", "/opt/homebrew/bin/chromedriver",
    ]

    public static func find(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> BrowserPrograms {
        let chromium = try locate(
            "Chromium", variable: "STOCKROOM_CHROMIUM", places: chromiumPlaces, environment: environment,
            install: "Debian/Ubuntu: sudo apt-get install chromium chromium-driver; macOS: brew install --cask chromium")
        let chromedriver = try locate(
            "chromedriver", variable: "STOCKROOM_CHROMEDRIVER", places: chromedriverPlaces, environment: environment,
            install: "Debian/Ubuntu: sudo apt-get install chromium-driver; "
                + "macOS: brew install --cask chromedriver (the same major version as the browser)")
        return BrowserPrograms(chromium: chromium, chromedriver: chromedriver)
    }

    private static func locate(
        _ name: String, variable: String, places: [String], environment: [String: String], install: String
    ) throws -> String {
        let searched = environment[variable].map { $0.isEmpty ? places : [$0] } ?? places
        if let found = searched.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) { return found }
        throw Missing(
            description: """
                The browser tests need \(name), which is not at \(searched.joined(separator: ", ")). Install it (\(install)), \
                or set \(variable) to its path.
                """)
    }
}
