extension Migration {
    /// What an automatic notification says as a key and its values (`text_params`, a JSON object of strings), so
    /// that each reader gets it in their own language; title and message keep the English for API clients.
    /// Null on manual notifications and on those written before: they show as they were written.
    static let m010NotificationText = Migration(
        id: 10, name: "notification text",
        statements: [
            "ALTER TABLE notifications ADD COLUMN text_key TEXT",
            "ALTER TABLE notifications ADD COLUMN text_params TEXT",
        ])
}
