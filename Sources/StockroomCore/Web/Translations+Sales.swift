extension Language {
    static let salesStrings: Strings = [:]
}
