extension Language {
    static let metricsStrings: Strings = [:]
}
