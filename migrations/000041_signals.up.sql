-- Signals (signaleren en agenderen): what residents and workers notice in a
-- neighbourhood, addressed to the municipality, a housing corporation or
-- another party, with a timeline of responses and status changes.

CREATE TABLE signals (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    neighbourhood_id   BIGINT NOT NULL REFERENCES neighbourhoods (id) ON DELETE RESTRICT,
    title              TEXT NOT NULL CHECK (title <> '' AND length(title) <= 150),
    description        TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
    theme              TEXT NOT NULL CHECK (theme IN ('ontmoeting', 'zorg', 'elkaar-helpen', 'bestaanszekerheid', 'wonen', 'openbare-ruimte', 'duurzaamheid', 'veiligheid', 'gezondheid', 'sport', 'kunst-cultuur', 'onderwijs-jeugd', 'informatie-advies', 'democratie', 'inclusie')),
    addressed_to       TEXT NOT NULL CHECK (addressed_to IN ('gemeente', 'woningcorporatie', 'anders')),
    addressed_to_other TEXT NOT NULL DEFAULT '' CHECK (length(addressed_to_other) <= 150),
    raised_by          BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    -- In which capacity the signal was raised; shown instead of the raiser's name.
    raised_as          TEXT NOT NULL CHECK (raised_as IN ('resident', 'worker')),
    -- The raiser chose to show the signal on the public neighbourhood page.
    is_public          BOOLEAN NOT NULL DEFAULT false,
    status             TEXT NOT NULL DEFAULT 'gesignaleerd'
                       CHECK (status IN ('gesignaleerd', 'geagendeerd', 'in_behandeling', 'opgepakt', 'niet_opgepakt')),
    idempotency_key    UUID NOT NULL,
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- First response by someone other than the raiser (for the median time to first response).
    first_response_at  TIMESTAMPTZ,
    CONSTRAINT signals_idempotency_key UNIQUE (raised_by, idempotency_key),
    CONSTRAINT signals_other_named CHECK (addressed_to <> 'anders' OR addressed_to_other <> '')
);
CREATE INDEX signals_neighbourhood_created_idx ON signals (neighbourhood_id, created_at DESC, id DESC);
CREATE INDEX signals_raised_by_idx ON signals (raised_by, created_at DESC, id DESC);
CREATE INDEX signals_status_idx ON signals (status, created_at DESC);
-- Lists run newest first and stop after one page.
CREATE INDEX signals_created_idx ON signals (created_at DESC, id DESC);
CREATE INDEX signals_public_idx ON signals (neighbourhood_id, created_at DESC, id DESC) WHERE is_public;

CREATE TABLE signal_responses (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    signal_id   BIGINT NOT NULL REFERENCES signals (id) ON DELETE CASCADE,
    author_id   BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    -- The role the author answered in: worker (opbouwwerker) or officer (gemeente).
    author_role TEXT NOT NULL CHECK (author_role IN ('worker', 'officer')),
    body        TEXT NOT NULL DEFAULT '' CHECK (length(body) <= 4000),
    status_from TEXT,
    status_to   TEXT,
    idempotency_key UUID NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT signal_responses_idempotency_key UNIQUE (author_id, idempotency_key),
    CONSTRAINT signal_responses_something CHECK (body <> '' OR status_to IS NOT NULL),
    CONSTRAINT signal_responses_status_pair CHECK ((status_from IS NULL) = (status_to IS NULL))
);
CREATE INDEX signal_responses_signal_idx ON signal_responses (signal_id, created_at);
