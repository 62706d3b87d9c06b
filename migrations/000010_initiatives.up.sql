-- Residents' initiatives: owners, supporters, offers of help, updates, status
-- history, reports (moderation) and funding requests (buurtbudget).

CREATE TABLE initiatives (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title              TEXT NOT NULL CHECK (title <> '' AND length(title) <= 120),
    summary            TEXT NOT NULL CHECK (summary <> '' AND length(summary) <= 200),
    description        TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
    -- All neighbourhoods of an initiative lie in this municipality; it decides funding.
    municipality_id    BIGINT NOT NULL REFERENCES municipalities (id) ON DELETE RESTRICT,
    themes             TEXT[] NOT NULL DEFAULT '{}' CHECK (cardinality(themes) <= 15),
    form               TEXT NOT NULL CHECK (form IN ('informal', 'vereniging', 'stichting', 'cooperatie', 'bewonersbedrijf', 'broodfonds', 'anders')),
    status             TEXT NOT NULL CHECK (status IN ('idee', 'in_opbouw', 'actief', 'gepauzeerd', 'gestopt')),
    contact_preference TEXT NOT NULL CHECK (contact_preference IN ('platform', 'email', 'telefoon')),
    -- Shown only to owners and people who joined; never public.
    contact_details    TEXT NOT NULL DEFAULT '' CHECK (length(contact_details) <= 200),
    visibility         TEXT NOT NULL CHECK (visibility IN ('public', 'members')),
    version            INTEGER NOT NULL DEFAULT 1,
    hidden_at          TIMESTAMPTZ,
    hidden_reason      TEXT NOT NULL DEFAULT '' CHECK (length(hidden_reason) <= 500),
    hidden_by          BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    created_by         BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    idempotency_key    UUID,
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    search             TSVECTOR GENERATED ALWAYS AS (
                           setweight(to_tsvector('dutch'::regconfig, title), 'A') ||
                           setweight(to_tsvector('dutch'::regconfig, summary), 'B') ||
                           setweight(to_tsvector('dutch'::regconfig, description), 'C')) STORED,
    CONSTRAINT initiatives_idempotency_key UNIQUE (created_by, idempotency_key),
    CHECK ((hidden_at IS NULL) = (hidden_reason = ''))
);
CREATE INDEX initiatives_search_idx ON initiatives USING GIN (search);
CREATE INDEX initiatives_themes_idx ON initiatives USING GIN (themes);
CREATE INDEX initiatives_municipality_idx ON initiatives (municipality_id);
CREATE INDEX initiatives_status_idx ON initiatives (status);
-- The list's order (newest first) among listable initiatives; also the API's cursor order.
CREATE INDEX initiatives_listed_idx ON initiatives (id DESC) WHERE hidden_at IS NULL;
CREATE INDEX initiatives_created_by_idx ON initiatives (created_by);

CREATE TABLE initiative_neighbourhoods (
    initiative_id    BIGINT NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
    neighbourhood_id BIGINT NOT NULL REFERENCES neighbourhoods (id) ON DELETE RESTRICT,
    PRIMARY KEY (initiative_id, neighbourhood_id)
);
CREATE INDEX initiative_neighbourhoods_neighbourhood_idx ON initiative_neighbourhoods (neighbourhood_id, initiative_id);

CREATE TABLE initiative_needs (
    initiative_id BIGINT NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
    need          TEXT NOT NULL CHECK (need IN ('ruimte', 'geld', 'vrijwilligers', 'kennis', 'materiaal')),
    details       TEXT NOT NULL DEFAULT '' CHECK (length(details) <= 200),
    PRIMARY KEY (initiative_id, need)
);
CREATE INDEX initiative_needs_need_idx ON initiative_needs (need, initiative_id);

CREATE TABLE initiative_owners (
    initiative_id BIGINT NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
    account_id    BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    added_by      BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    added_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (initiative_id, account_id)
);
CREATE INDEX initiative_owners_account_idx ON initiative_owners (account_id);

CREATE TABLE initiative_supporters (
    initiative_id BIGINT NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
    account_id    BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    joined_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (initiative_id, account_id)
);
CREATE INDEX initiative_supporters_account_idx ON initiative_supporters (account_id);

CREATE TABLE initiative_offers (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    initiative_id BIGINT NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
    account_id    BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    need          TEXT NOT NULL CHECK (need IN ('ruimte', 'geld', 'vrijwilligers', 'kennis', 'materiaal')),
    message       TEXT NOT NULL CHECK (message <> '' AND length(message) <= 1000),
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- One offer per person and need: a resubmitted form replaces the message.
    CONSTRAINT initiative_offers_once UNIQUE (initiative_id, account_id, need)
);
CREATE INDEX initiative_offers_account_idx ON initiative_offers (account_id);

CREATE TABLE initiative_updates (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    initiative_id BIGINT NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
    author_id     BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    body          TEXT NOT NULL CHECK (body <> '' AND length(body) <= 2000),
    idempotency_key UUID,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT initiative_updates_idempotency_key UNIQUE (initiative_id, idempotency_key)
);
CREATE INDEX initiative_updates_initiative_idx ON initiative_updates (initiative_id, created_at DESC);

CREATE TABLE initiative_status_history (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    initiative_id BIGINT NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
    from_status   TEXT,
    to_status     TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 500),
    changed_by    BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    changed_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX initiative_status_history_initiative_idx ON initiative_status_history (initiative_id, changed_at DESC);

CREATE TABLE initiative_reports (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    initiative_id BIGINT NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
    reporter_id   BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    reason        TEXT NOT NULL CHECK (reason <> '' AND length(reason) <= 1000),
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT initiative_reports_once UNIQUE (initiative_id, reporter_id)
);
CREATE INDEX initiative_reports_created_idx ON initiative_reports (created_at DESC);

CREATE TABLE funding_requests (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    initiative_id   BIGINT NOT NULL REFERENCES initiatives (id) ON DELETE CASCADE,
    -- Up to € 100.000: a buurtbudget, not a subsidy programme.
    amount_cents    BIGINT NOT NULL CHECK (amount_cents > 0 AND amount_cents <= 10000000),
    purpose         TEXT NOT NULL CHECK (purpose <> '' AND length(purpose) <= 200),
    budget          TEXT NOT NULL CHECK (budget <> '' AND length(budget) <= 2000),
    status          TEXT NOT NULL DEFAULT 'ingediend' CHECK (status IN ('ingediend', 'toegekend', 'afgewezen')),
    created_by      BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    idempotency_key UUID,
    decided_by      BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    decided_at      TIMESTAMPTZ,
    reason          TEXT NOT NULL DEFAULT '' CHECK (length(reason) <= 1000),
    CONSTRAINT funding_requests_idempotency_key UNIQUE (created_by, idempotency_key),
    CHECK ((status = 'ingediend') = (decided_at IS NULL)),
    CHECK (status = 'ingediend' OR reason <> '')
);
CREATE INDEX funding_requests_initiative_idx ON funding_requests (initiative_id, created_at DESC);
CREATE INDEX funding_requests_status_idx ON funding_requests (status, created_at);
