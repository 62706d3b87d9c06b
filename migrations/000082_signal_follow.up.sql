-- Signals become a conversation: the raiser replies on the timeline, other
-- people say "Dit herken ik", and anyone who may see a signal can follow it
-- (followers hear of every response and status change; the raiser always
-- does, without a row here).

-- A reply by the raiser is a timeline entry in the role "raiser" and never
-- changes the status.
ALTER TABLE signal_responses DROP CONSTRAINT signal_responses_author_role_check;
ALTER TABLE signal_responses ADD CONSTRAINT signal_responses_author_role_check
    CHECK (author_role IN ('worker', 'officer', 'raiser'));
ALTER TABLE signal_responses ADD CONSTRAINT signal_responses_raiser_keeps_status
    CHECK (author_role <> 'raiser' OR status_to IS NULL);

-- "Dit herken ik": once per person and signal.
CREATE TABLE signal_recognitions (
    signal_id  BIGINT NOT NULL REFERENCES signals (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (signal_id, account_id)
);
CREATE INDEX signal_recognitions_account_idx ON signal_recognitions (account_id);

-- Who follows a signal besides its raiser.
CREATE TABLE signal_followers (
    signal_id  BIGINT NOT NULL REFERENCES signals (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (signal_id, account_id)
);
CREATE INDEX signal_followers_account_idx ON signal_followers (account_id);
