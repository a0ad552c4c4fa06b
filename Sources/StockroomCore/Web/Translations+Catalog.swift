extension Language {
    static let catalogStrings: Strings = [:]
}
