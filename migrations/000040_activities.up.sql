-- Activities that community workers organise or support, with a
-- private note for the author and an optional anonymised story shared with
-- the municipality.

CREATE TABLE activities (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title            TEXT NOT NULL CHECK (title <> '' AND length(title) <= 150),
    date             DATE NOT NULL,
    neighbourhood_id BIGINT NOT NULL REFERENCES neighbourhoods (id) ON DELETE RESTRICT,
    -- The worker who created the entry organised it (unless only an initiative did).
    worker_organised BOOLEAN NOT NULL DEFAULT true,
    -- The residents' initiative that (co-)organised it, if any.
    initiative_id    BIGINT REFERENCES initiatives (id) ON DELETE SET NULL,
    strategy         TEXT NOT NULL CHECK (strategy IN ('bonding', 'bridging', 'linking')),
    participant_count INTEGER NOT NULL DEFAULT 0 CHECK (participant_count BETWEEN 0 AND 100000),
    -- Partner organisations as names, in the order the worker typed them.
    partners         TEXT[] NOT NULL DEFAULT '{}' CHECK (cardinality(partners) <= 20),
    outcome          TEXT NOT NULL DEFAULT '' CHECK (length(outcome) <= 4000),
    -- Private to created_by; erased by the retention job after NOTES_RETENTION.
    note             TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 4000),
    note_written_at  TIMESTAMPTZ,
    -- The anonymised copy of the note, shared with the municipality when story_shared_at is set.
    story            TEXT NOT NULL DEFAULT '' CHECK (length(story) <= 4000),
    story_shared_at  TIMESTAMPTZ,
    created_by       BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    idempotency_key  UUID NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT activities_idempotency_key UNIQUE (created_by, idempotency_key),
    CONSTRAINT activities_story_shared_has_text CHECK (story_shared_at IS NULL OR story <> '')
);
CREATE INDEX activities_neighbourhood_date_idx ON activities (neighbourhood_id, date DESC, id DESC);
CREATE INDEX activities_created_by_date_idx ON activities (created_by, date DESC, id DESC);
CREATE INDEX activities_initiative_idx ON activities (initiative_id) WHERE initiative_id IS NOT NULL;
CREATE INDEX activities_strategy_date_idx ON activities (strategy, date DESC);
-- Lists run newest first over several neighbourhoods and stop after one page.
CREATE INDEX activities_date_idx ON activities (date DESC, id DESC);
-- The retention job looks for old notes only.
CREATE INDEX activities_note_written_idx ON activities (note_written_at) WHERE note <> '';
CREATE INDEX activities_story_shared_idx ON activities (story_shared_at) WHERE story_shared_at IS NOT NULL;
