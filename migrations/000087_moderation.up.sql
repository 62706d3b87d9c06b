-- Moderation of everything people post, and account suspension.
--
-- Reports of the kinds that had none: signals, initiative updates and
-- assets (talents included). Initiatives and messages keep their own
-- report tables; the administrators' queue reads all three. A report is
-- open until an administrator hides the item or dismisses the reports
-- (both delete them; the audit log keeps what was done).
CREATE TABLE reports (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    signal_id   BIGINT REFERENCES signals (id) ON DELETE CASCADE,
    update_id   BIGINT REFERENCES initiative_updates (id) ON DELETE CASCADE,
    asset_id    BIGINT REFERENCES assets (id) ON DELETE CASCADE,
    reporter_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    reason      TEXT NOT NULL CHECK (reason <> '' AND length(reason) <= 1000),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT reports_one_subject CHECK (num_nonnulls(signal_id, update_id, asset_id) = 1)
);
-- One open report per person and item: a second report replaces the reason.
CREATE UNIQUE INDEX reports_signal_once ON reports (signal_id, reporter_id) WHERE signal_id IS NOT NULL;
CREATE UNIQUE INDEX reports_update_once ON reports (update_id, reporter_id) WHERE update_id IS NOT NULL;
CREATE UNIQUE INDEX reports_asset_once ON reports (asset_id, reporter_id) WHERE asset_id IS NOT NULL;
CREATE INDEX reports_created_idx ON reports (created_at DESC);
CREATE INDEX reports_reporter_idx ON reports (reporter_id, created_at) WHERE reporter_id IS NOT NULL;

-- Hiding signals and initiative updates, in the shape initiatives use.
ALTER TABLE signals
    ADD COLUMN hidden_at     TIMESTAMPTZ,
    ADD COLUMN hidden_reason TEXT NOT NULL DEFAULT '' CHECK (length(hidden_reason) <= 500),
    ADD COLUMN hidden_by     BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    ADD CONSTRAINT signals_hidden_reason CHECK ((hidden_at IS NULL) = (hidden_reason = ''));
CREATE INDEX signals_hidden_by_idx ON signals (hidden_by) WHERE hidden_by IS NOT NULL;
CREATE INDEX signals_hidden_idx ON signals (hidden_at DESC) WHERE hidden_at IS NOT NULL;

ALTER TABLE initiative_updates
    ADD COLUMN hidden_at     TIMESTAMPTZ,
    ADD COLUMN hidden_reason TEXT NOT NULL DEFAULT '' CHECK (length(hidden_reason) <= 500),
    ADD COLUMN hidden_by     BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    ADD CONSTRAINT initiative_updates_hidden_reason CHECK ((hidden_at IS NULL) = (hidden_reason = ''));
CREATE INDEX initiative_updates_hidden_by_idx ON initiative_updates (hidden_by) WHERE hidden_by IS NOT NULL;
CREATE INDEX initiative_updates_hidden_idx ON initiative_updates (hidden_at DESC) WHERE hidden_at IS NOT NULL;

-- What a suspension hid: lifting it shows exactly these again, and leaves
-- what was hidden for another reason hidden.
ALTER TABLE initiatives ADD COLUMN hidden_by_suspension BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE assets ADD COLUMN hidden_by_suspension BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE signals ADD COLUMN hidden_by_suspension BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE initiative_updates ADD COLUMN hidden_by_suspension BOOLEAN NOT NULL DEFAULT false;

-- A suspended account cannot log in; its sessions and API tokens end.
ALTER TABLE accounts
    ADD COLUMN suspended_at     TIMESTAMPTZ,
    ADD COLUMN suspended_reason TEXT NOT NULL DEFAULT '' CHECK (length(suspended_reason) <= 500),
    ADD COLUMN suspended_by     BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    ADD CONSTRAINT accounts_suspended_reason CHECK ((suspended_at IS NULL) = (suspended_reason = ''));
CREATE INDEX accounts_suspended_by_idx ON accounts (suspended_by) WHERE suspended_by IS NOT NULL;
