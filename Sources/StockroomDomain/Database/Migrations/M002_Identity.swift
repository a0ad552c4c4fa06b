extension Migration {
    /// Sign-in: personal API tokens, the CSRF token of each session, and the failed sign-ins that throttling counts.
    /// Secrets (session ids, tokens) are stored only as SHA-256 digests.
    static let m002Identity = Migration(
        id: 2, name: "identity",
        statements: [
            "ALTER TABLE sessions ADD COLUMN csrf_token TEXT NOT NULL DEFAULT ''",
            """
            CREATE TABLE api_tokens (
                id {{id}},
                company_id BIGINT NOT NULL REFERENCES companies(id),
                user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                token_digest TEXT NOT NULL,
                prefix TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                last_used_at BIGINT
            )
            """,
            "CREATE UNIQUE INDEX api_tokens_digest ON api_tokens(token_digest)",
            "CREATE INDEX api_tokens_user ON api_tokens(user_id)",
            """
            CREATE TABLE login_failures (
                id {{id}},
                throttle_key TEXT NOT NULL,
                created_at BIGINT NOT NULL
            )
            """,
            "CREATE INDEX login_failures_key ON login_failures(throttle_key, created_at)",
            "CREATE INDEX users_status ON users(company_id, status)",
            "CREATE INDEX audit_log_company_action ON audit_log(company_id, action, created_at)",
        ])
}
