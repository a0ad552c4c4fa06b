/// The mark a file's amounts use for decimals. A tab-separated file may come from Spanish Excel ("Unicode text",
/// `1.500,25`) or an English one (`1,500.25`), and a value such as `1.500` alone cannot say which: it is 1500 in
/// the first and 1.50 in the second. So the mark is decided once per file, from the values that do say.
enum DecimalMark: Character, Sendable {
    case point = "."
    case comma = ","

    var other: DecimalMark { self == .point ? .comma : .point }

    /// `raw` without currency signs, spaces and a leading sign: what the marks are judged on.
    static func digits(_ raw: String) -> Substring {
        let text = Substring(raw.filter { $0 != "$" && $0 != "€" && !$0.isWhitespace })
        return text.first == "-" || text.first == "+" ? text.dropFirst() : text
    }

    /// What `raw` alone says the decimal mark is: the last mark when it has both (`1.500,25`), the other one when a
    /// mark comes more than once (`1.500.000` groups thousands), the mark itself when it is not followed by exactly
    /// three digits (`2,5`, `1.5000`) or follows more than three digits (`1500.250`); nil when it has no mark or is
    /// ambiguous (`1.500`, `12,000`).
    static func shown(by raw: String) -> DecimalMark? {
        let text = digits(raw)
        let marks = text.filter { $0 == "." || $0 == "," }
        guard let last = marks.last, let mark = DecimalMark(rawValue: last) else { return nil }
        if marks.contains(mark.other.rawValue) { return mark }
        if marks.count > 1 { return mark.other }
        let parts = text.split(separator: last, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        return isGrouping(parts[0], parts[1]) ? nil : mark
    }

    /// `^\d{1,3}[.,]\d{3}$`: the mark may group thousands or mark decimals.
    static func isAmbiguous(_ raw: String) -> Bool {
        let parts = digits(raw).split(omittingEmptySubsequences: false) { $0 == "." || $0 == "," }
        return parts.count == 2 && isGrouping(parts[0], parts[1])
    }

    private static func isGrouping(_ before: Substring, _ after: Substring) -> Bool {
        (1...3).contains(before.count) && after.count == 3 && (before + after).allSatisfy { $0.isASCII && $0.isNumber }
    }

    /// The file's mark: the one every value that shows one agrees on; nil when none shows one, or they disagree
    /// (then only the ambiguous values are refused; the others read as they show).
    static func ofFile(_ shown: Set<DecimalMark>) -> DecimalMark? {
        shown.count == 1 ? shown.first : nil
    }

    /// `text` as a number Swift reads: the other mark (grouping) dropped, this one made a point.
    func normalized(_ text: String) -> String {
        var result = text.filter { $0 != other.rawValue }
        if self == .comma { result = result.replacingOccurrences(of: ",", with: ".") }
        return result
    }
}
