-- Messages between members (gesprekken en berichten): residents reach each
-- other without anyone's e-mail address being shown. A conversation is about
-- one subject (an initiative, an offer of help, a place or talent on the
-- asset map) and only its participants read it; administrators see a message
-- only when someone reported it.

CREATE TABLE conversations (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subject_kind   TEXT NOT NULL CHECK (subject_kind IN ('initiatief', 'aanbod', 'hulpbron')),
    -- The subject; NULL once it is gone (the conversation stays with its title).
    -- Offers keep their initiative here too.
    initiative_id  BIGINT REFERENCES initiatives (id) ON DELETE SET NULL,
    offer_id       BIGINT REFERENCES initiative_offers (id) ON DELETE SET NULL,
    asset_id       BIGINT REFERENCES assets (id) ON DELETE SET NULL,
    -- The title when the conversation started, shown when the subject is gone.
    subject_title  TEXT NOT NULL CHECK (subject_title <> '' AND length(subject_title) <= 200),
    -- The person on the other side of the owners: who started about an
    -- initiative or an asset, who offered the help. With the subject it says
    -- which conversation a new message belongs to.
    party_id       BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_message_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- One conversation per subject and person: a second start adds to it.
CREATE UNIQUE INDEX conversations_initiative_party_key ON conversations (initiative_id, party_id) WHERE subject_kind = 'initiatief';
CREATE UNIQUE INDEX conversations_offer_key ON conversations (offer_id) WHERE subject_kind = 'aanbod';
CREATE UNIQUE INDEX conversations_asset_party_key ON conversations (asset_id, party_id) WHERE subject_kind = 'hulpbron';
-- The foreign keys' ON DELETE, and the account deletion, without table scans.
CREATE INDEX conversations_initiative_idx ON conversations (initiative_id) WHERE initiative_id IS NOT NULL;
CREATE INDEX conversations_asset_idx ON conversations (asset_id) WHERE asset_id IS NOT NULL;
CREATE INDEX conversations_party_idx ON conversations (party_id) WHERE party_id IS NOT NULL;

CREATE TABLE conversation_participants (
    conversation_id BIGINT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    account_id      BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    -- The newest message this person has seen; later ones are unread.
    last_read_id    BIGINT NOT NULL DEFAULT 0,
    joined_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (conversation_id, account_id)
);
CREATE INDEX conversation_participants_account_idx ON conversation_participants (account_id, conversation_id);

CREATE TABLE messages (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    conversation_id BIGINT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    -- NULL once the sender deleted their account: the others keep the thread.
    sender_id       BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    body            TEXT NOT NULL CHECK (body <> '' AND length(body) <= 4000),
    -- Idempotency token of the form: a form sent twice adds one message.
    idempotency_key UUID NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT messages_idempotency_key UNIQUE (sender_id, idempotency_key)
);
CREATE INDEX messages_conversation_idx ON messages (conversation_id, id);

-- A person no longer receives messages from another.
CREATE TABLE account_blocks (
    blocker_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    blocked_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (blocker_id, blocked_id),
    CHECK (blocker_id <> blocked_id)
);
CREATE INDEX account_blocks_blocked_idx ON account_blocks (blocked_id);

-- Reported messages: the only messages administrators see.
CREATE TABLE message_reports (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id  BIGINT NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    reporter_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    reason      TEXT NOT NULL CHECK (reason <> '' AND length(reason) <= 1000),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT message_reports_once UNIQUE (message_id, reporter_id)
);
CREATE INDEX message_reports_created_idx ON message_reports (created_at DESC);
CREATE INDEX message_reports_reporter_idx ON message_reports (reporter_id) WHERE reporter_id IS NOT NULL;

-- A conversation nobody takes part in any more (every participant deleted
-- their account) goes, with its messages.
CREATE FUNCTION conversations_delete_empty() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM conversations c WHERE c.id = OLD.conversation_id
        AND NOT EXISTS (SELECT 1 FROM conversation_participants p WHERE p.conversation_id = OLD.conversation_id);
    RETURN NULL;
END;
$$;
CREATE TRIGGER conversations_delete_empty AFTER DELETE ON conversation_participants
    FOR EACH ROW EXECUTE FUNCTION conversations_delete_empty();
