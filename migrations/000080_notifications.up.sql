-- Notifications (meldingen), per-category e-mail preferences, confirmed
-- e-mail addresses and the bookkeeping that makes every mail go out once.

-- NULL: the address was never confirmed. Accounts that exist before this
-- migration were made by administrators, the CLI or the demo seed, or
-- registered before confirmation existed; they keep working as they did.
ALTER TABLE accounts ADD COLUMN email_confirmed_at TIMESTAMPTZ;
UPDATE accounts SET email_confirmed_at = created_at;

CREATE TABLE notifications (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    recipient_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    category     TEXT NOT NULL CHECK (category IN
                 ('berichten', 'aanbod', 'aanmeldingen', 'besluiten', 'signalen', 'initiatieven', 'agenda', 'beheer')),
    -- A local path of the subject; the page itself checks who may see it.
    link         TEXT NOT NULL CHECK (link LIKE '/%' AND link NOT LIKE '//%' AND length(link) <= 300),
    body         TEXT NOT NULL CHECK (body <> '' AND length(body) <= 600),
    -- Never mailed on its own, only in a digest (a new initiative in a work area).
    digest_only  BOOLEAN NOT NULL DEFAULT false,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    read_at      TIMESTAMPTZ,
    -- Set when the notification went out by e-mail, alone or in a digest.
    mailed_at    TIMESTAMPTZ
);
CREATE INDEX notifications_recipient_idx ON notifications (recipient_id, created_at DESC, id DESC);
-- The unread count in every page's header.
CREATE INDEX notifications_unread_idx ON notifications (recipient_id) WHERE read_at IS NULL;
-- Digests: what has not been mailed yet.
CREATE INDEX notifications_unmailed_idx ON notifications (recipient_id, created_at) WHERE mailed_at IS NULL;
-- The purge of old notifications.
CREATE INDEX notifications_created_idx ON notifications (created_at);

-- How a person wants to hear of a category; no row means the default.
CREATE TABLE notification_preferences (
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    category   TEXT NOT NULL CHECK (category IN
               ('berichten', 'aanbod', 'aanmeldingen', 'besluiten', 'signalen', 'initiatieven', 'agenda', 'beheer')),
    mode       TEXT NOT NULL CHECK (mode IN ('direct', 'dagelijks', 'wekelijks', 'platform')),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, category)
);

-- One row per mail that went out, by its idempotency key, written in the
-- same transaction that completes the job. A job retried after a crash
-- finds its key and sends nothing again.
CREATE TABLE mail_deliveries (
    key     TEXT PRIMARY KEY CHECK (length(key) <= 200),
    sent_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX mail_deliveries_sent_idx ON mail_deliveries (sent_at);

-- Keys for signed links (unsubscribe, e-mail confirmation), made once by the
-- first instance that needs one and shared by all.
CREATE TABLE signing_keys (
    purpose    TEXT PRIMARY KEY,
    key        BYTEA NOT NULL CHECK (length(key) = 32),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
