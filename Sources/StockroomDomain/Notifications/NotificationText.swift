import Foundation

/// What an automatic notification says, kept as a key and the values it names (product, store, stock…) so that
/// each reader gets it in their own language (`Language.notificationStrings`). The trigger also stores the
/// English title and message, which API clients of the original StockManager API read unchanged.
public struct NotificationText: Sendable, Equatable {
    public var key: String
    var params: [String: String]

    static func lowStock(product: String, store: String, stock: Int64, minimum: Int64) -> NotificationText {
        NotificationText(key: "low_stock", params: ["product": product, "store": store, "stock": "\(stock)", "minimum": "\(minimum)"])
    }

    static func product(_ action: ProductAction, product: String, store: String? = nil) -> NotificationText {
        var params = ["product": product]
        if let store { params["store"] = store }
        return NotificationText(key: "product_\(action.rawValue)", params: params)
    }

    /// An account change, said to the account's owner: `account_email`, `account_role`, `account_store`,
    /// `account_password`, `account_activated`, `account_approved`.
    static func account(_ change: AccountChange, store: String? = nil) -> NotificationText {
        switch change {
        case .email(let email): NotificationText(key: "account_email", params: ["email": email])
        case .role(let role): NotificationText(key: "account_role", params: ["role": role])
        case .store: NotificationText(key: "account_store", params: ["store": store ?? ""])
        case .password: NotificationText(key: "account_password", params: [:])
        case .activated: NotificationText(key: "account_activated", params: [:])
        case .approved: NotificationText(key: "account_approved", params: [:])
        }
    }

    /// Goods arrived against a purchase order (`order_received` when that completed it).
    static func goodsReceived(order: Int64, supplier: String, store: String, units: Int64, complete: Bool) -> NotificationText {
        NotificationText(
            key: complete ? "order_received" : "goods_received",
            params: ["order": "\(order)", "supplier": supplier, "store": store, "units": "\(units)"])
    }

    /// Stock sent to a store (`transfer_dispatched`), or units of a transfer that never arrived (`transfer_discrepancy`).
    static func transfer(_ id: Int64, from: String, to: String, units: Int64, lost: Int64) -> NotificationText {
        NotificationText(
            key: lost > 0 ? "transfer_discrepancy" : "transfer_dispatched",
            params: ["transfer": "\(id)", "from": from, "to": to, "units": "\(units)", "lost": "\(lost)"])
    }

    static func goodsReturned(bill: Int64, store: String, units: Int64) -> NotificationText {
        NotificationText(key: "goods_returned", params: ["bill": "\(bill)", "store": store, "units": "\(units)"])
    }

    static func countPosted(_ count: Int64, store: String, corrections: Int64, units: Int64) -> NotificationText {
        NotificationText(
            key: "count_posted", params: ["count": "\(count)", "store": store, "corrections": "\(corrections)", "units": "\(units)"])
    }

    static func saleRegistered(bill: Int64, store: String) -> NotificationText {
        NotificationText(key: "sale_registered", params: ["bill": "\(bill)", "store": store])
    }

    static func saleUpdated(bill: Int64, store: String) -> NotificationText {
        NotificationText(key: "sale_updated", params: ["bill": "\(bill)", "store": store])
    }

    static func saleVoided(bill: Int64, store: String) -> NotificationText {
        NotificationText(key: "sale_voided", params: ["bill": "\(bill)", "store": store])
    }

    /// A refused sale says what the pages say for its error code; nil for a code they have no words for (the
    /// notification then keeps the API's English message for everyone).
    static func saleError(code: String) -> NotificationText? {
        Language.domainWords["error_code_" + code] == nil ? nil : NotificationText(key: "sale_error", params: ["code": code])
    }

    /// The title and message in `language`; nil when a string or a value is missing (a key from a newer version, a
    /// placeholder without its value), so that the stored English shows rather than a half-filled template.
    func rendered(in language: Language) -> (title: String, message: String)? {
        let messageKey = key == "sale_error" ? "error_code_" + (params["code"] ?? "") : "notification_\(key)_message"
        guard let title = language.domainWord("notification_\(key)_title"), let template = language.domainWord(messageKey),
            let message = Self.fill(template, params)
        else { return nil }
        return (title, message)
    }

    /// `template` with each `{name}` replaced by its value, in one pass: a product named "{store}" stays as named.
    public static func fill(_ template: String, _ params: [String: String]) -> String? {
        var result = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{") {
            result += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}"), let value = params[String(rest[rest.index(after: open)..<close])] else {
                return nil
            }
            result += value
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    /// `text_params` as stored: a JSON object of strings.
    var paramsJSON: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(params)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// The stored columns back; nil for a notification written without a key (manual ones, older ones).
    init?(key: String?, paramsJSON: String?) {
        guard let key, let params = try? JSONDecoder().decode([String: String].self, from: Data((paramsJSON ?? "{}").utf8)) else { return nil }
        self.init(key: key, params: params)
    }

    init(key: String, params: [String: String]) {
        self.key = key
        self.params = params
    }
}
