/// What a person may do: `owner` runs the whole company, `admin` manages one store, `vendor` sells in one store.
public enum Role: String, Codable, Sendable, CaseIterable {
    case owner
    case admin
    case vendor

    /// Reads a role as clients of either original system send it: the canonical names, StockManager's
    /// `root`/`vendedor` and Credith's `OWNER`/`ADMIN`/`EMPLOYEE`, in any case.
    public init?(input: String) {
        switch input.trimmingCharacters(in: .whitespaces).lowercased() {
        case "owner", "root": self = .owner
        case "admin": self = .admin
        case "vendor", "vendedor", "employee": self = .vendor
        default: return nil
        }
    }
}

/// Where an account stands: registrations wait as `pending` until approved (or `rejected`); `disabled` accounts
/// cannot sign in.
public enum AccountStatus: String, Codable, Sendable {
    case active
    case pending
    case rejected
    case disabled
}
