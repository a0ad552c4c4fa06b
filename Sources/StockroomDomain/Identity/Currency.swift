import Foundation

/// The currency a company sells in: an ISO 4217 code that Foundation knows. Amounts stay integer cents whatever the
/// currency, so only currencies with two decimals (EUR, USD, MXN, GBP …) are accepted: a yen or dinar amount would
/// need other minor units than the stored cents, and rounding them away on screen would make receipts disagree with
/// their own totals.
public enum Currency {
    /// When neither `STOCKROOM_CURRENCY` nor the machine's locale names a usable currency.
    public static let fallback = "EUR"

    /// `code` upper-cased when it is a known two-decimal ISO 4217 code, else nil.
    public static func validated(_ code: String) -> String? {
        let code = code.trimmingCharacters(in: .whitespaces).uppercased()
        guard code.count == 3, code.allSatisfy({ $0.isASCII && $0.isLetter }), Locale.commonISOCurrencyCodes.contains(code),
            decimals(code) == 2
        else { return nil }
        return code
    }

    /// The currency's own minor units as Foundation writes it (2 for EUR, 0 for JPY, 3 for KWD).
    static func decimals(_ code: String) -> Int {
        let text = Decimal(1).formatted(.currency(code: code).locale(Locale(identifier: "en_US_POSIX")))
        guard let point = text.lastIndex(of: ".") else { return 0 }
        return text[text.index(after: point)...].prefix { $0.isNumber }.count
    }

    /// The currency of a locale identifier such as `es_ES.UTF-8` (what `LANG` holds), when it is one we accept.
    public static func of(localeIdentifier: String) -> String? {
        let name = localeIdentifier.split(separator: ".").first.map(String.init) ?? ""
        guard !name.isEmpty, name != "C", name != "POSIX" else { return nil }
        return Locale(identifier: name).currency.flatMap { validated($0.identifier) }
    }

    /// The refusal (422) for a code that is not a usable currency.
    public static func refusal(_ field: String) -> ShopError {
        ShopError(
            .unprocessable, code: "invalid_currency",
            "\(field) must be a three-letter ISO 4217 currency code with two decimals, such as EUR, USD or MXN",
            facts: ["field": .string(field)])
    }
}
