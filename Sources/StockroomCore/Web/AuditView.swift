import Foundation

/// The audit page: a window of the company's log and its filters as given.
struct AuditView: Sendable {
    let records: [Record]
    let pager: Pager
    let action: String
    let from: String
    let to: String

    /// One record: who did what to which record, and each field it changed.
    struct Record: Sendable {
        let createdAt: String
        let ipAddress: String
        let username: String
        let action: String
        let entityType: String
        let entityId: String
        let changes: [Change]

        init(_ record: AuditRecord, _ frame: PageFrame) {
            createdAt = frame.format.dateTime(record.createdAt)
            ipAddress = record.ipAddress ?? ""
            username = record.username ?? ""
            action = record.action
            let kind = record.entityType ?? ""
            entityType = frame.strings["entity_" + kind] ?? kind
            entityId = record.entityID ?? ""
            let before = record.oldValues?.fields ?? [:]
            let after = record.newValues?.fields ?? [:]
            changes = Set(before.keys).union(after.keys).sorted().map { field in
                Change(field: field, old: AuditView.text(before[field], field: field, frame), new: AuditView.text(after[field], field: field, frame))
            }
        }
    }

    struct Change: Sendable {
        let field: String
        let old: String
        let new: String
    }

    /// The fields the domain records as amounts (a product's price and cost, a sale's total), written as money.
    static let amounts: Set<String> = ["price", "cost", "total"]

    /// A recorded value for reading: the words the system wrote (a sale's `voided`, a role, a payment method, a
    /// yes/no) in the reader's language, amounts as money; names and other values typed by people as they are.
    static func text(_ value: JSONValue?, field: String, _ frame: PageFrame) -> String {
        let strings = frame.strings
        switch value {
        case nil, .null?: return "—"
        case .bool(let flag)?: return strings["audit_value_\(flag)"] ?? "\(flag)"
        case .string(let text)? where text.isEmpty: return "—"
        case .string(let text)?:
            let key = ["status": "audit_value_", "role": "role_", "payment_method": "pay_"][field].map { $0 + text }
            return key.flatMap { strings[$0] } ?? text
        case .int(let number)?: return amounts.contains(field) ? frame.format.money(Double(number)) : "\(number)"
        case .double(let number)?: return amounts.contains(field) ? frame.format.money(number) : "\(number)"
        case let nested?:
            // A sale's lines: their JSON, as the API answers them.
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return (try? encoder.encode(nested)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        }
    }
}

extension JSONValue {
    /// An object's fields; nothing for any other value.
    var fields: [String: JSONValue] {
        if case .object(let fields) = self { return fields }
        return [:]
    }
}
