-- Co-ownership by consent: an owner invites someone by e-mail address, and
-- only when that person accepts do they become an owner. The answer to the
-- owner is the same whether or not the address has an account, so an
-- invitation is stored either way. To keep no readable address of someone
-- who may not even have an account, it holds a SHA-256 of the lower-cased
-- address (to find the invitee's invitations) and a short hint the owners
-- recognise it by ("b…@example.org"). Invitations expire after 30 days.

CREATE TABLE initiative_invitations (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    initiative_id BIGINT NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
    email_hash    BYTEA NOT NULL CHECK (length(email_hash) = 32),
    email_hint    TEXT NOT NULL CHECK (email_hint <> '' AND length(email_hint) <= 260),
    invited_by    BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at    TIMESTAMPTZ NOT NULL,
    CHECK (expires_at > created_at),
    -- One invitation per initiative and address: a form sent twice invites once.
    -- Also the index of an initiative's invitations.
    CONSTRAINT initiative_invitations_once UNIQUE (initiative_id, email_hash)
);
-- The invitee's pending invitations (and the export and deletion of an account).
CREATE INDEX initiative_invitations_email_idx ON initiative_invitations (email_hash, expires_at);
-- Sweeping expired invitations.
CREATE INDEX initiative_invitations_expires_idx ON initiative_invitations (expires_at);
-- The ON DELETE SET NULL of the inviter, without a table scan.
CREATE INDEX initiative_invitations_invited_by_idx ON initiative_invitations (invited_by) WHERE invited_by IS NOT NULL;
