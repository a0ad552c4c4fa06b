extension Language {
    static let adminStrings: Strings = [:]
}
