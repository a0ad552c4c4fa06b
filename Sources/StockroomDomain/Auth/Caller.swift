/// The signed-in person behind a request, as the auth middleware found them. Services take a `Caller` for
/// every decision about what may be seen or changed, and for the audit record.
public struct Caller: Sendable {
    /// How the request proved who it is.
    public enum Credential: Sendable, Equatable {
        /// A browser session cookie; `digest` names the session row.
        case session(digest: String, csrfToken: String)
        /// A personal API token sent as `Authorization: Bearer`.
        case token(id: Int64)
    }

    public var userID: Int64
    public var companyID: Int64
    /// The home store: where this person's own sales and default views happen.
    public var storeID: Int64
    public var role: Role
    public var username: String
    public var email: String
    public var credential: Credential
    /// The client's address, for the audit log and throttling.
    public var ipAddress: String?
    /// The language this person chose for the staff pages; nil follows the browser.
    public var language: String?

    public init(
        userID: Int64, companyID: Int64, storeID: Int64, role: Role, username: String, email: String,
        credential: Credential, ipAddress: String?
    ) {
        self.userID = userID
        self.companyID = companyID
        self.storeID = storeID
        self.role = role
        self.username = username
        self.email = email
        self.credential = credential
        self.ipAddress = ipAddress
    }

    /// Fails with 403 unless this caller's role holds `permission`.
    public func require(_ permission: Permission) throws {
        guard permission.allows(role) else { throw ShopError.forbidden() }
    }

    /// The store a request acts on. Owners act on any store of their company (nil: all of them, or the one they
    /// name); admins and vendors always act on their home store, and naming another is refused.
    public func storeScope(requested: Int64?) throws -> Int64? {
        if role == .owner { return requested }
        if let requested, requested != storeID { throw ShopError.forbidden("You can only act on your own store") }
        return storeID
    }

    /// Whether this caller may see `user`'s account: owners see their whole company (callers only ever load
    /// users of their own company), admins their store, everyone themselves.
    func canView(_ user: User) -> Bool {
        role == .owner || user.id == userID || (role == .admin && user.storeID == storeID)
    }

    /// Whether this caller may change `user`'s account or read its history: owners anyone in the company, admins
    /// their store's vendors, everyone themselves.
    public func canManage(_ user: User) -> Bool {
        canManage(userID: user.id, role: user.role, storeID: user.storeID)
    }

    public func canManage(userID other: Int64, role otherRole: Role, storeID otherStore: Int64) -> Bool {
        role == .owner || other == userID || (role == .admin && otherStore == storeID && otherRole == .vendor)
    }

    /// The audit-log identity of this caller.
    func auditEntry(
        _ action: String, entityType: String? = nil, entityID: Int64? = nil,
        old: [String: JSONValue]? = nil, new: [String: JSONValue]? = nil
    ) -> AuditEntry {
        AuditEntry(
            companyID: companyID, userID: userID, username: username, action: action, entityType: entityType,
            entityID: entityID.map(String.init), oldValues: old, newValues: new, ipAddress: ipAddress)
    }
}
