/// Helpers for text that goes into SQL as bound values.
public enum SQLText {
    /// Escapes `%`, `_` and `\` so a search text matches literally inside `LIKE … ESCAPE '\'`.
    public static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_")
    }
}
