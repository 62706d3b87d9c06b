-- Two-factor authentication with TOTP (internal/mfa): one row per account
-- that has turned it on. The secret is sealed with AES-256-GCM under a key
-- from MFA_KEY (outside the database) and bound to the account id, so a
-- dump alone does not give it away. last_step is the last accepted 30-second
-- time step: a code is never accepted twice.
CREATE TABLE mfa_totp (
    account_id    BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    secret_sealed BYTEA NOT NULL,
    enabled_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_step     BIGINT NOT NULL DEFAULT 0
);

-- Single-use recovery codes: only SHA-256 hashes (of the account id and an
-- 80-bit random code) are kept.
CREATE TABLE mfa_recovery_codes (
    id         BIGSERIAL PRIMARY KEY,
    account_id BIGINT NOT NULL REFERENCES mfa_totp (account_id) ON DELETE CASCADE,
    code_hash  BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    used_at    TIMESTAMPTZ,
    CONSTRAINT mfa_recovery_codes_unique UNIQUE (account_id, code_hash)
);

-- "Mijn sessies": a session is named by the SHA-256 of its token, never the
-- token itself. The tokens are base64url, so decode(…, 'escape') gives
-- their bytes unchanged (and, unlike convert_to, is immutable).
ALTER TABLE sessions ADD COLUMN token_hash BYTEA GENERATED ALWAYS AS (sha256(decode(token, 'escape'))) STORED;
CREATE UNIQUE INDEX sessions_token_hash_idx ON sessions (token_hash);

-- What the owner of a session sees of it: a coarse device label and network
-- (IPv4 /24, IPv6 /48; never the full address), and when it was last used.
-- It goes with the session (logout, expiry, ended from another device).
CREATE TABLE session_meta (
    id           BIGSERIAL PRIMARY KEY,
    token_hash   BYTEA NOT NULL UNIQUE REFERENCES sessions (token_hash) ON DELETE CASCADE,
    account_id   BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    device       TEXT NOT NULL,
    place        TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_seen_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX session_meta_account_idx ON session_meta (account_id);
