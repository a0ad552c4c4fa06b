extension AccountProvisioning {
    /// The first start's company, store and owner as the settings name them (`STOCKROOM_COMPANY_NAME`,
    /// `STOCKROOM_ADMIN_*`): the domain takes the values, the settings stay here.
    public func bootstrapIfEmpty(_ config: AppConfig) async throws -> CreatedCompany? {
        try await bootstrapIfEmpty(
            company: config.companyName, store: config.storeName,
            owner: Owner(username: config.adminUsername, email: config.adminEmail, password: config.adminPassword))
    }
}
