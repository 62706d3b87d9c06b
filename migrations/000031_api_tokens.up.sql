-- Personal API tokens for field apps. Only the SHA-256 of a token is stored;
-- the token itself is shown once, when it is created.
CREATE TABLE api_tokens (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id   BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    name         TEXT NOT NULL CHECK (name <> '' AND char_length(name) <= 100),
    token_hash   BYTEA NOT NULL CONSTRAINT api_tokens_token_hash_key UNIQUE CHECK (length(token_hash) = 32),
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX api_tokens_account_idx ON api_tokens (account_id, created_at DESC);
