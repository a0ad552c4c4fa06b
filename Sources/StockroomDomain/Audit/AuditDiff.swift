/// The part of a record that an update changed, as the audit log stores it.
enum AuditDiff {
    /// The fields whose values differ between `before` and `after`, each side with its own values.
    static func changed(_ before: [String: JSONValue], _ after: [String: JSONValue]) -> (old: [String: JSONValue], new: [String: JSONValue]) {
        let keys = Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }
        return (before.filter { keys.contains($0.key) }, after.filter { keys.contains($0.key) })
    }
}
