-- Single sign-on: an OpenID Provider per organisation or municipality, and
-- the e-mail domains whose people sign in through it. A domain belongs to
-- one provider at most, so an address always picks one provider.
CREATE TABLE sso_providers (
    id              BIGSERIAL PRIMARY KEY,
    organisation_id BIGINT REFERENCES organisations (id) ON DELETE CASCADE,
    municipality_id BIGINT REFERENCES municipalities (id) ON DELETE CASCADE,
    display_name    TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
    issuer          TEXT NOT NULL CHECK (issuer ~ '^https?://'),
    client_id       TEXT NOT NULL CHECK (length(client_id) BETWEEN 1 AND 255),
    -- "env:NAME" (the secret lives in that environment variable) or
    -- "aesgcm:" + base64(nonce || ciphertext) under SSO_SECRET_KEY.
    client_secret   TEXT NOT NULL CHECK (client_secret ~ '^(env|aesgcm):.+'),
    password_login  BOOLEAN NOT NULL DEFAULT TRUE,
    trust_mfa       BOOLEAN NOT NULL DEFAULT FALSE,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT sso_providers_owner_check CHECK (num_nonnulls(organisation_id, municipality_id) = 1)
);

CREATE TABLE sso_domains (
    domain      TEXT PRIMARY KEY CHECK (domain = lower(domain) AND domain ~ '^[a-z0-9]([a-z0-9.-]*[a-z0-9])?\.[a-z]{2,}$'),
    provider_id BIGINT NOT NULL REFERENCES sso_providers (id) ON DELETE CASCADE
);
CREATE INDEX sso_domains_provider_idx ON sso_domains (provider_id);
