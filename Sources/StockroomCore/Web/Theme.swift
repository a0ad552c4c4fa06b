import Hummingbird

/// The colours the pages are drawn in: the device's choice (`auto`, CSS `prefers-color-scheme`), or light or dark as
/// chosen with the header's switch on this browser. The choice is a cookie the server reads, so the page arrives
/// already in its colours (`<html data-theme>`): no flash of white before a script could apply it.
enum Theme: String, CaseIterable, Sendable {
    case auto, light, dark

    static let cookieName = "stockroom_theme"

    /// This browser's choice; `auto` without one (or with a value this version does not know).
    static func chosen(by request: Request) -> Theme {
        request.cookies[cookieName].flatMap { Theme(rawValue: $0.value) } ?? .auto
    }

    /// What the header's switch moves to: automatic, then dark, then light, then back.
    var next: Theme {
        switch self {
        case .auto: .dark
        case .dark: .light
        case .light: .auto
        }
    }
}
