extension Language {
    static let stockStrings: Strings = [:]
}
