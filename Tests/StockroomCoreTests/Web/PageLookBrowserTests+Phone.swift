import BrowserDriver
import Foundation
import Testing

extension PageLookBrowserTests {
    /// What `look` finds on each of `pages` on a phone, in English and Spanish, light and dark: the check a page
    /// built for the shop floor gets beside its own test. Each language is seen in one theme (the first in light, the
    /// second in dark), so both themes and both languages are checked on every page in two passes rather than four —
    /// a whole sweep of four took over 100 s under the full suite's load and timed out its browser. The browser is
    /// left in the last language and colours.
    static func phoneLook(_ browser: WebDriver, base: String, pages: [String], languages: [String] = ["en", "es"]) async throws -> [String] {
        var problems: [String] = []
        for (language, theme) in zip(languages, ["light", "dark"]) {
            try await browser.open(base + "/language/\(language)?back=/")
            try await browser.open(base + "/theme/\(theme)?back=/")
            for page in pages {
                try await browser.open(base + page)
                problems += try await look(browser, at: "\(page) \(language) \(theme)", phone: true)
            }
        }
        return problems
    }
}
