/// A language Stockroom speaks: a person's setting, and the one a notification is read in. The pages' words live
/// at the edge (`Web/Translations.swift`); the words the domain writes itself — its notifications, which the sale's
/// own transaction stores in English, and its refusals' codes, which a refused sale's notification says — live here
/// (`Words+Notifications.swift`, `Words+Errors.swift`), and the pages show them too.
public enum Language: String, CaseIterable, Sendable {
    case en, es
}

extension Language {
    /// Words by key, in English and Spanish.
    public typealias Strings = [String: (en: String, es: String)]

    /// The domain's own words (its notifications and its refusals).
    static let domainWords: Strings = notificationStrings.merging(errorStrings) { first, _ in first }

    /// `key` in this language, among the domain's own words.
    func domainWord(_ key: String) -> String? {
        Self.domainWords[key].map { self == .en ? $0.en : $0.es }
    }
}
