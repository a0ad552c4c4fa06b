extension UserService {
    /// Whether the caller's company is the installation's operator — the company made at first start — whose owners
    /// read the server's own log lines besides their company's.
    public func operatesServer(_ caller: Caller) async throws -> Bool {
        try await database.read { try await identity.firstCompanyID($0) } == caller.companyID
    }
}
