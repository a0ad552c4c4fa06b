import SQLKit

/// Helpers for text that goes into SQL as bound values.
enum SQLText {
    /// Escapes `%`, `_` and `\` so a search text matches literally inside `LIKE … ESCAPE '\'`.
    static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
    }

    /// Products whose name or barcode contains `text`, case folded, as a condition on `p` (products). On SQLite,
    /// texts of three characters or more go through the trigram index (`product_search`, migration 11): a phrase
    /// of trigrams matches exactly where the text is a substring. Shorter texts, which have no trigram, and
    /// PostgreSQL, whose `pg_trgm` indexes serve this very `LIKE`, use the plain condition.
    static func productSearch(_ text: String, _ db: any SQLDatabase) -> SQLQueryString {
        let pattern = "%" + escapeLike(text.lowercased()) + "%"
        guard db.dialect.name == "sqlite", text.unicodeScalars.count >= 3 else {
            return "(LOWER(p.name) LIKE \(bind: pattern) ESCAPE '\\' OR LOWER(p.barcode) LIKE \(bind: pattern) ESCAPE '\\')"
        }
        // Inside an FTS5 phrase everything is literal but the double quote, which is doubled.
        let phrase = "{name barcode} : \"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        return "p.id IN (SELECT rowid FROM product_search WHERE product_search MATCH \(bind: phrase))"
    }
}
