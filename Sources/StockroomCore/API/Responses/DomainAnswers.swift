// Domain records the API answers as they are: encoded by their own (synthesized) `Encodable`, and written with every
// key, nil as `null` and snake_case names — the wire's rules, declared here at the edge, not in the domain.
extension AuditRecord: AllKeysEncodable {}
extension APIToken: AllKeysEncodable {}
extension Notification: AllKeysEncodable {}
