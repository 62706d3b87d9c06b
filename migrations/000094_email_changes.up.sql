-- A change of an account's e-mail address waits here until the new address
-- is confirmed through the link mailed to it (issue 11); until then the
-- account keeps its old address. One pending change per account: asking
-- again replaces it (a new id, so the earlier link stops working). The row
-- stays, confirmed, for a week so the notice to the old address still knows
-- where it goes; the next request of anyone clears rows older than that.
CREATE TABLE email_changes (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id   BIGINT NOT NULL CONSTRAINT email_changes_account_key UNIQUE REFERENCES accounts (id) ON DELETE CASCADE,
    old_email    CITEXT NOT NULL,
    new_email    CITEXT NOT NULL,
    requested_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at   TIMESTAMPTZ NOT NULL,
    confirmed_at TIMESTAMPTZ,
    CONSTRAINT email_changes_new_differs CHECK (new_email <> old_email),
    CONSTRAINT email_changes_expiry CHECK (expires_at > requested_at)
);
CREATE INDEX email_changes_expires_idx ON email_changes (expires_at);
