/// Validation of the account fields every way of making or changing an account shares.
public enum AccountFields {
    public static func validate(username: String? = nil, email: String? = nil, password: String? = nil) throws {
        if let username, !Validation.isUsername(username) {
            throw ShopError.invalidField("username", "Username must be 3 to 50 letters, digits, '.', '_' or '-'")
        }
        if let email, !Validation.isEmail(email) {
            throw ShopError.invalidField("email", "Email is not a valid address")
        }
        if let password {
            try validatePassword(password, field: "password")
        }
    }

    public static func validatePassword(_ password: String, field: String) throws {
        guard Validation.isPassword(password) else {
            let problem = password.utf8.count > Validation.passwordBytes.upperBound ? "at most 72 bytes" : "at least 8 characters"
            throw ShopError.invalidField(field, "Password must be \(problem) long (8 to 72 bytes)")
        }
    }
}

extension User {
    /// The account as the audit log records it: never the password hash.
    var auditValues: [String: JSONValue] {
        [
            "username": .string(username), "email": .string(email), "role": .string(role.rawValue),
            "store_id": .int(storeID), "status": .string(status.rawValue),
        ]
    }
}
