extension Migration {
    /// The language each person reads the staff pages in (`en`, `es`); null follows the browser.
    static let m008UserLanguage = Migration(
        id: 8, name: "user language",
        statements: [
            "ALTER TABLE users ADD COLUMN language TEXT"
        ])
}
