import Foundation

/// Managing accounts: owners manage everyone in their company; admins see the accounts of their own store and
/// manage its vendors. Every change is audited with the values before and after.
public struct UserService: Sendable {
    let database: any DatabaseClient
    let hasher: PasswordHasher
    let throttle: LoginThrottle
    let events: EventHub
    let identity = IdentityRepository()
    let sessions = SessionRepository()
    let audit = AuditRepository()

    public init(database: any DatabaseClient, hasher: PasswordHasher, throttle: LoginThrottle, events: EventHub) {
        self.database = database
        self.hasher = hasher
        self.throttle = throttle
        self.events = events
    }

    /// One page of the accounts the caller may see.
    public func list(_ caller: Caller, filter: UserFilter, page: PageRequest) async throws -> Paged<User> {
        var filter = filter
        filter.companyID = caller.companyID
        filter.storeID = try caller.storeScope(requested: filter.storeID)
        let (users, total) = try await database.read { try await identity.users(filter, limit: page.limit, offset: page.offset, $0) }
        return Paged(users, total: total, page: page)
    }

    /// StockManager's vendor suggestions: up to 10 active vendors and admins whose username or email contains
    /// `text`, by username — of the whole company for owners, of their own store for everyone else (who may see
    /// only their store's people). Anyone signed in may ask (a till picks a colleague by name).
    public func suggestVendors(_ caller: Caller, matching text: String?) async throws -> [User] {
        try await database.read { db in
            var found: [User] = []
            for role in [Role.vendor, .admin] {
                var filter = UserFilter(companyID: caller.companyID, statuses: [.active], role: role, search: text)
                if caller.role != .owner { filter.storeID = caller.storeID }
                found += try await identity.users(filter, limit: 10, offset: 0, db).users
            }
            return Array(found.sorted { $0.username.lowercased() < $1.username.lowercased() }.prefix(10))
        }
    }

    /// An account the caller may see: 404 outside the company, 403 for an admin looking outside their store.
    public func get(_ caller: Caller, id: Int64) async throws -> User {
        let user = try await database.read { try await identity.user(id: id, companyID: caller.companyID, $0) }
        guard let user else { throw ShopError.notFound("User") }
        try ensureCanView(caller, user)
        return user
    }

    public struct NewAccount: Sendable {
        public var username: String
        public var email: String
        public var password: String
        public var role: Role
        public var storeID: Int64?

        public init(username: String, email: String, password: String, role: Role, storeID: Int64? = nil) {
            self.username = username
            self.email = email
            self.password = password
            self.role = role
            self.storeID = storeID
        }
    }

    /// A new active account in the caller's company; its store defaults to the caller's home store.
    public func create(_ caller: Caller, _ account: NewAccount) async throws -> User {
        try AccountFields.validate(username: account.username, email: account.email, password: account.password)
        try ensureCanGrant(caller, role: account.role)
        let storeID = account.storeID ?? caller.storeID
        if caller.role != .owner, storeID != caller.storeID { throw ShopError.forbidden("You can only add accounts to your own store") }
        return try await countingTakenNames(caller) {
            let hash = try await hasher.hash(account.password)
            return try await database.withTransaction { transaction in
                let db = transaction.db
                guard try await identity.store(id: storeID, companyID: caller.companyID, db)?.isActive == true else {
                    throw ShopError.invalidField("store", "No open store of your company has this id")
                }
                try await identity.ensureAvailable(username: account.username, email: account.email, db)
                let user = try await identity.insertUser(
                    NewUser(
                        companyID: caller.companyID, storeID: storeID, username: account.username, email: account.email,
                        passwordHash: hash, role: account.role, status: .active), db)
                try await audit.record(caller.auditEntry("user_created", entityType: "user", entityID: user.id, new: user.auditValues), db)
                return user
            }
        }
    }

    /// A partial update. Nobody changes their own role or status here; admins change only their store's vendors
    /// and cannot promote them.
    public func update(_ caller: Caller, id: Int64, _ changes: UserChanges, auditAction: String = "user_updated") async throws -> User {
        try AccountFields.validate(username: changes.username, email: changes.email)
        if let role = changes.role { try ensureCanGrant(caller, role: role) }
        return try await countingTakenNames(caller, when: changes.username != nil || changes.email != nil) {
            try await database.withTransaction { transaction in
                let db = transaction.db
                guard let before = try await identity.user(id: id, companyID: caller.companyID, db) else { throw ShopError.notFound("User") }
                try ensureCanManage(caller, before)
                if id == caller.userID, (changes.role.map { $0 != before.role } ?? false) || (changes.status.map { $0 != before.status } ?? false) {
                    throw ShopError.unprocessable("You cannot change your own role or status", code: "cannot_change_self")
                }
                if let storeID = changes.storeID, storeID != before.storeID {
                    guard caller.role == .owner else { throw ShopError.forbidden("Only an owner moves accounts between stores") }
                    guard try await identity.store(id: storeID, companyID: caller.companyID, db)?.isActive == true else {
                        throw ShopError.invalidField("store", "No open store of your company has this id")
                    }
                }
                try await identity.ensureAvailable(username: changes.username, email: changes.email, excluding: id, db)
                try await identity.updateUser(id: id, companyID: caller.companyID, changes, db)
                let after = try await identity.user(id: id, companyID: caller.companyID, db)!
                // A deactivated account is signed out, and its API tokens are revoked for good: activating it again
                // must not bring back tokens nobody can vouch for.
                if after.status != .active {
                    try await sessions.deleteAll(userID: id, db)
                    try await APITokenRepository().deleteAll(userID: id, db)
                }
                let (old, new) = AuditDiff.changed(before.auditValues, after.auditValues)
                try await audit.record(caller.auditEntry(auditAction, entityType: "user", entityID: id, old: old, new: new), db)
                var told: [AccountChange] = []
                if after.email != before.email { told.append(.email(after.email)) }
                if after.role != before.role { told.append(.role(after.role.rawValue)) }
                if after.storeID != before.storeID { told.append(.store(after.storeID)) }
                if after.status == .active, before.status != .active { told.append(.activated) }
                announce(told, to: after, by: caller, transaction)
                return after
            }
        }
    }

    /// Deactivates an account, ends its sessions at once and revokes its API tokens. You cannot deactivate yourself.
    public func deactivate(_ caller: Caller, id: Int64) async throws -> User {
        if id == caller.userID { throw ShopError.unprocessable("You cannot deactivate yourself", code: "cannot_deactivate_self") }
        return try await update(caller, id: id, UserChanges(status: .disabled), auditAction: "user_deactivated")
    }

    /// Sets someone else's password (an admin reset), signs them out everywhere and revokes their API tokens:
    /// a reset usually means the account was in the wrong hands. Your own password changes only with the current
    /// one, through the settings.
    public func resetPassword(_ caller: Caller, id: Int64, to password: String) async throws {
        if id == caller.userID {
            throw ShopError.unprocessable("Change your own password in the settings, with your current password", code: "cannot_reset_self")
        }
        try AccountFields.validatePassword(password, field: "password")
        _ = try await get(caller, id: id)
        let hash = try await hasher.hash(password)
        try await database.withTransaction { transaction in
            guard let target = try await identity.user(id: id, companyID: caller.companyID, transaction.db) else {
                throw ShopError.notFound("User")
            }
            try ensureCanManage(caller, target)
            try await identity.updateUser(id: id, companyID: caller.companyID, UserChanges(passwordHash: hash), transaction.db)
            try await sessions.deleteAll(userID: id, transaction.db)
            try await APITokenRepository().deleteAll(userID: id, transaction.db)
            try await audit.record(caller.auditEntry("password_reset", entityType: "user", entityID: id), transaction.db)
            announce([.password], to: target, by: caller, transaction)
        }
    }

    /// Tells the account's owner, after commit, what someone else changed (StockManager's "your account was
    /// updated", pushed on their stream when they are signed in, waiting for them when they are not).
    func announce(_ changes: [AccountChange], to user: User, by caller: Caller, _ transaction: Transaction) {
        guard user.id != caller.userID, !changes.isEmpty else { return }
        let events = self.events
        transaction.afterCommit {
            for change in changes {
                events.publish(.accountChanged(companyID: user.companyID, userID: user.id, actorID: caller.userID, change: change))
            }
        }
    }

    func ensureCanView(_ caller: Caller, _ user: User) throws {
        guard caller.canView(user) else { throw ShopError.forbidden("You can only see accounts of your own store") }
    }

    func ensureCanManage(_ caller: Caller, _ user: User) throws {
        try ensureCanView(caller, user)
        guard caller.canManage(user) else { throw ShopError.forbidden("Only an owner manages owners and admins") }
    }

    func ensureCanGrant(_ caller: Caller, role: Role) throws {
        guard caller.role == .owner || role == .vendor else { throw ShopError.forbidden("Only an owner grants the \(role.rawValue) role") }
    }

    /// Runs `work` — a change that may find a username or email taken — for `caller`. A caller who has been told
    /// "taken" too often lately is refused (429) before anything is looked up; each new "taken" answer counts.
    /// Only `when` the change names a username or email: a change of role, store or status is never refused for it.
    func countingTakenNames<T>(_ caller: Caller, when namesChange: Bool = true, _ work: () async throws -> T) async throws -> T {
        guard namesChange else { return try await work() }
        let subject = LoginThrottle.Subject.takenName(accountID: caller.userID, companyID: caller.companyID, maxFailures: throttle.maxFailures)
        try await database.read { try await throttle.check(subject, $0) }
        do {
            return try await work()
        } catch let error as ShopError where error.code == "username_taken" || error.code == "email_taken" {
            try await database.withTransaction { _ = try await throttle.reserve(subject, $0) }
            throw error
        }
    }
}
