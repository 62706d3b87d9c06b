-- Passkeys (WebAuthn). The user handle is random per account, so the
-- authenticator learns neither the e-mail address nor the database id.
CREATE TABLE passkey_handles (
    account_id BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    handle     BYTEA NOT NULL UNIQUE
);

-- One row per registered passkey: its public key (never a private one, which
-- stays on the device), the signature counter (a counter that goes back
-- means a cloned key) and the flags the authenticator reported.
CREATE TABLE passkeys (
    id               BIGSERIAL PRIMARY KEY,
    account_id       BIGINT NOT NULL REFERENCES passkey_handles (account_id) ON DELETE CASCADE,
    name             TEXT NOT NULL CHECK (char_length(name) BETWEEN 1 AND 60),
    credential_id    BYTEA NOT NULL UNIQUE,
    public_key       BYTEA NOT NULL,
    sign_count       BIGINT NOT NULL DEFAULT 0,
    transports       TEXT[] NOT NULL DEFAULT '{}',
    aaguid           BYTEA NOT NULL DEFAULT '\x',
    attestation_type TEXT NOT NULL DEFAULT '',
    user_present     BOOLEAN NOT NULL DEFAULT false,
    user_verified    BOOLEAN NOT NULL DEFAULT false,
    backup_eligible  BOOLEAN NOT NULL DEFAULT false,
    backup_state     BOOLEAN NOT NULL DEFAULT false,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_used_at     TIMESTAMPTZ
);
CREATE INDEX passkeys_account ON passkeys (account_id);
