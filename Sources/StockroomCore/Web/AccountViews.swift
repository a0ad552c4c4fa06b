/// The users page: a page of the company's people with what the caller may change, the registrations waiting for
/// review (for those who review them), and the new-user form's roles and stores.
struct UsersView: Sendable {
    let users: [UserRow]
    let pager: Pager
    let search: String
    let roles: [Choice]
    let stores: [StoreChoice]
    /// Absent for those who do not review registrations.
    let applications: [Application]?

    struct Application: Sendable {
        let id: Int64
        let username: String
        let email: String
        let createdAt: String

        init(_ user: User, _ frame: PageFrame) {
            id = user.id
            username = user.username
            email = user.email
            createdAt = frame.format.dateTime(user.createdAt)
        }
    }
}

/// One person in the users list, with their edit form's choices.
struct UserRow: Sendable {
    let id: Int64
    let username: String
    let email: String
    let roleLabel: String
    let storeName: String
    let status: String
    let statusLabel: String
    let lastLoginAt: String
    let isActive: Bool
    /// A registration is approved or rejected above (its own audit and notice), not switched on here.
    let pending: Bool
    /// Actions only where the API allows them (admins: their store's vendors), and never on oneself here.
    let canManage: Bool
    let roles: [Choice]
    let stores: [StoreChoice]

    init(_ user: User, caller: Caller, roles: [String], stores: [StoreChoice], _ frame: PageFrame) {
        let strings = frame.strings
        id = user.id
        username = user.username
        email = user.email
        let role = user.role.rawValue
        roleLabel = strings["role_" + role] ?? role
        storeName = stores.first { $0.id == user.storeID }?.name ?? ""
        status = user.status.rawValue
        statusLabel = strings["account_" + status] ?? status
        lastLoginAt = user.lastLoginAt.map(frame.format.dateTime) ?? ""
        isActive = user.status == .active
        pending = user.status == .pending
        canManage = user.id != caller.userID && caller.canManage(user)
        self.roles = roles.map { Choice(value: $0, label: strings["role_" + $0] ?? $0, selected: $0 == role) }
        self.stores = stores.map { StoreChoice(id: $0.id, name: $0.name, selected: $0.id == user.storeID) }
    }
}

/// The settings page: the person's language, email and API tokens, and the company's settings for those who
/// manage stores.
struct SettingsView: Sendable {
    let email: String
    let languages: [Choice]
    let tokens: [Token]
    let hasTokens: Bool
    let company: Company?

    struct Token: Sendable {
        let id: Int64
        let name: String
        let prefix: String
        let createdAt: String
        /// Never used: absent, not "" (which would still open {{#lastUsedAt}}).
        let lastUsedAt: String?

        init(_ token: APIToken, _ format: DisplayFormat) {
            id = token.id
            name = token.name
            prefix = token.prefix
            createdAt = format.dateTime(token.createdAt)
            lastUsedAt = token.lastUsedAt.map(format.dateTime)
        }
    }

    /// The company's form: percentages as the fields take them (`21.5`).
    struct Company: Sendable {
        let currency: String
        let taxRate: String
        let pricesIncludeTax: Bool
        let shopName: String
        let shopAddress: String
        let taxId: String
        let receiptFooter: String
        let receiptWidths: [Width]
        let maxDiscountAdmin: String
        let maxDiscountVendor: String

        struct Width: Sendable {
            let value: Int64
            let selected: Bool
        }

        init(tax: TaxSettings, currency: String, till: TillSettings) {
            self.currency = currency
            taxRate = DisplayFormat.percent(basisPoints: tax.rateBasisPoints)
            pricesIncludeTax = tax.pricesIncludeTax
            shopName = till.shopName
            shopAddress = till.address
            taxId = till.taxID
            receiptFooter = till.footer
            receiptWidths = TillSettings.widths.map { Width(value: $0, selected: $0 == till.receiptWidth) }
            maxDiscountAdmin = DisplayFormat.percent(basisPoints: till.maxDiscountAdmin)
            maxDiscountVendor = DisplayFormat.percent(basisPoints: till.maxDiscountVendor)
        }
    }
}

/// The notifications page: a window of the person's notifications, in their language.
struct NotificationsView: Sendable {
    let notifications: [Note]
    let pager: Pager

    struct Note: Sendable {
        let id: Int64
        let type: String
        let isRead: Bool
        let title: String
        let message: String
        let createdAt: String
        /// Only links inside the site: an action URL is data, not a place to send people.
        let link: String?

        init(_ note: StockroomDomain.Notification, _ format: DisplayFormat) {
            id = note.id
            type = note.type.rawValue
            isRead = note.isRead
            title = note.title
            message = note.message
            createdAt = format.dateTime(note.createdAt)
            link = Pages.localPath(note.actionURL)
        }
    }
}
