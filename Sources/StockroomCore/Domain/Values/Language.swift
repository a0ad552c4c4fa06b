/// A language Stockroom speaks: a person's setting, and the one a notification is read in. Its words live at the
/// edges (`Web/Translations.swift`).
public enum Language: String, CaseIterable, Sendable {
    case en, es
}
