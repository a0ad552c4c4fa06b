extension Migration {
    /// Every node keeps the sessions and tokens it has looked up (`CredentialCache`); a change that ends or alters
    /// one must reach them all. PostgreSQL: triggers send a notice on the event relay's channel when an account is
    /// edited (anything but its last sign-in time) or a session or token is deleted — whichever node or command made
    /// the change — delivered at COMMIT; each node's relay forgets what it kept. SQLite has one server, whose own
    /// writes forget (`Transaction.forgetCredentials`): nothing to add.
    static let m013CredentialNotices = Migration(
        id: 13, name: "credential notices",
        sqlite: [],
        postgres: [
            """
            CREATE FUNCTION notify_credentials_changed() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_notify('stockroom_events', '{"node":"00000000-0000-0000-0000-000000000000","credentials":true}');
                RETURN NULL;
            END $$
            """,
            """
            CREATE FUNCTION notify_credentials_gone() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                -- (a sign-in clears expired sessions: most such deletes delete nothing, and need no notice)
                IF EXISTS (SELECT 1 FROM gone) THEN
                    PERFORM pg_notify('stockroom_events', '{"node":"00000000-0000-0000-0000-000000000000","credentials":true}');
                END IF;
                RETURN NULL;
            END $$
            """,
            """
            CREATE TRIGGER users_credentials_changed
            AFTER UPDATE OF username, email, role, store_id, company_id, status, password_hash, language OR DELETE ON users
            FOR EACH STATEMENT EXECUTE FUNCTION notify_credentials_changed()
            """,
            """
            CREATE TRIGGER sessions_credentials_gone AFTER DELETE ON sessions
            REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION notify_credentials_gone()
            """,
            """
            CREATE TRIGGER api_tokens_credentials_gone AFTER DELETE ON api_tokens
            REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION notify_credentials_gone()
            """,
        ])
}
