-- Neighbourhood budgets from idea to account (issue 12): funds (potjes)
-- of funders, applications to them with budget lines, residents' advice,
-- decisions that can never overspend a fund, payouts and a light account.
--
-- Today's funding requests ARE the applications: the table keeps its name
-- and rows, gains a fund and the new fields, and every existing request
-- moves to a default fund of its municipality (created here). The down
-- migration drops what was added, which leaves the requests as they were.

-- 1. Funders other than a municipality are organisations (a housing
--    corporation, a charitable fund). Their staff manage their funds.
ALTER TABLE organisations DROP CONSTRAINT organisations_kind_check,
    ADD CONSTRAINT organisations_kind_check
        CHECK (kind IN ('welzijn', 'woningcorporatie', 'vereniging', 'bibliotheek', 'school', 'gemeente', 'fonds', 'overig')),
    -- Registered as a funder by an administrator.
    ADD COLUMN funder_since TIMESTAMPTZ;

-- An account that manages the funds of a funder organisation (set by an
-- administrator). Municipality officers manage their municipality's funds
-- through their role; this is the funder side of that.
CREATE TABLE funder_staff (
    account_id      BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    added_by        BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    added_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX funder_staff_organisation_idx ON funder_staff (organisation_id);
CREATE INDEX funder_staff_added_by_idx ON funder_staff (added_by) WHERE added_by IS NOT NULL;

-- 2. Funds. Every fund works in one municipality (scope_municipality_id);
--    fund_areas narrows it to districts or neighbourhoods (none: all of it).
--    The funder is the municipality itself or an organisation.
CREATE TABLE funds (
    id                     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name                   TEXT NOT NULL CHECK (name <> '' AND length(name) <= 150),
    description            TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
    funder_municipality_id BIGINT REFERENCES municipalities (id) ON DELETE RESTRICT,
    funder_organisation_id BIGINT REFERENCES organisations (id) ON DELETE RESTRICT,
    scope_municipality_id  BIGINT NOT NULL REFERENCES municipalities (id) ON DELETE RESTRICT,
    -- The period the fund's budget is for, and when applications are taken.
    period_label           TEXT NOT NULL DEFAULT '' CHECK (length(period_label) <= 50),
    opens_on               DATE NOT NULL,
    closes_on              DATE,
    budget_cents           BIGINT NOT NULL CHECK (budget_cents > 0 AND budget_cents <= 100000000000),
    -- Rules: a maximum per application, a minimum number of supporters of
    -- the initiative, an own contribution as a share of the total (0-100
    -- per cent), whether other funds may pay part of the same plan.
    max_per_request_cents  BIGINT CHECK (max_per_request_cents IS NULL OR max_per_request_cents > 0),
    min_supporters         INT NOT NULL DEFAULT 0 CHECK (min_supporters BETWEEN 0 AND 1000),
    own_contribution_pct   INT NOT NULL DEFAULT 0 CHECK (own_contribution_pct BETWEEN 0 AND 100),
    cofinancing_allowed    BOOLEAN NOT NULL DEFAULT true,
    -- funder: the funder decides; advice: the funder decides after
    -- residents' advice; jury: a residents' jury decides (the funder
    -- records the jury's decision).
    decision_mode          TEXT NOT NULL DEFAULT 'funder' CHECK (decision_mode IN ('funder', 'advice', 'jury')),
    -- How long residents may advise on an application after it came in.
    advice_days            INT NOT NULL DEFAULT 14 CHECK (advice_days BETWEEN 1 AND 90),
    -- The light account: due this many days after the (last) payout;
    -- receipts only when the fund asks for them.
    account_due_days       INT NOT NULL DEFAULT 90 CHECK (account_due_days BETWEEN 7 AND 730),
    receipts_required      BOOLEAN NOT NULL DEFAULT false,
    -- The fund made by migration 000095 for the requests of before.
    is_default             BOOLEAN NOT NULL DEFAULT false,
    created_by             BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    created_at             TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at             TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT funds_one_funder CHECK (num_nonnulls(funder_municipality_id, funder_organisation_id) = 1),
    CONSTRAINT funds_municipality_scope CHECK (funder_municipality_id IS NULL OR funder_municipality_id = scope_municipality_id),
    CONSTRAINT funds_window CHECK (closes_on IS NULL OR closes_on >= opens_on),
    CONSTRAINT funds_max_within_budget CHECK (max_per_request_cents IS NULL OR max_per_request_cents <= budget_cents)
);
CREATE INDEX funds_scope_idx ON funds (scope_municipality_id, opens_on);
CREATE INDEX funds_funder_municipality_idx ON funds (funder_municipality_id) WHERE funder_municipality_id IS NOT NULL;
CREATE INDEX funds_funder_organisation_idx ON funds (funder_organisation_id) WHERE funder_organisation_id IS NOT NULL;
CREATE INDEX funds_created_by_idx ON funds (created_by) WHERE created_by IS NOT NULL;
CREATE UNIQUE INDEX funds_default_key ON funds (scope_municipality_id) WHERE is_default;

CREATE TABLE fund_themes (
    fund_id BIGINT NOT NULL REFERENCES funds (id) ON DELETE CASCADE,
    theme   TEXT NOT NULL CHECK (theme <> ''),
    PRIMARY KEY (fund_id, theme)
);
CREATE INDEX fund_themes_theme_idx ON fund_themes (theme, fund_id);

CREATE TABLE fund_areas (
    fund_id          BIGINT NOT NULL REFERENCES funds (id) ON DELETE CASCADE,
    district_id      BIGINT REFERENCES districts (id) ON DELETE CASCADE,
    neighbourhood_id BIGINT REFERENCES neighbourhoods (id) ON DELETE CASCADE,
    CONSTRAINT fund_areas_one CHECK (num_nonnulls(district_id, neighbourhood_id) = 1)
);
CREATE UNIQUE INDEX fund_areas_district_key ON fund_areas (fund_id, district_id) WHERE district_id IS NOT NULL;
CREATE UNIQUE INDEX fund_areas_neighbourhood_key ON fund_areas (fund_id, neighbourhood_id) WHERE neighbourhood_id IS NOT NULL;
CREATE INDEX fund_areas_district_idx ON fund_areas (district_id) WHERE district_id IS NOT NULL;
CREATE INDEX fund_areas_neighbourhood_idx ON fund_areas (neighbourhood_id) WHERE neighbourhood_id IS NOT NULL;

-- 3. Applications: the funding requests, to a fund. granted_cents is what
--    was granted (the amount asked, or less with conditions); a refusal
--    keeps its reason. The reason of any decision (the motivation) is for
--    the owners and the funder's staff only.
ALTER TABLE funding_requests
    ADD COLUMN fund_id                BIGINT REFERENCES funds (id) ON DELETE RESTRICT,
    ADD COLUMN own_contribution_cents BIGINT NOT NULL DEFAULT 0 CHECK (own_contribution_cents >= 0),
    ADD COLUMN impact                 TEXT NOT NULL DEFAULT '' CHECK (length(impact) <= 2000),
    ADD COLUMN granted_cents          BIGINT CHECK (granted_cents IS NULL OR granted_cents > 0),
    ADD COLUMN conditions             TEXT NOT NULL DEFAULT '' CHECK (length(conditions) <= 1000),
    -- When the activity takes place (the account is due after it).
    ADD COLUMN activity_on            DATE;

-- Every request of before goes to a default fund of its municipality: the
-- budget is what was asked in all (at least what was granted), open from
-- the first request on, without an end, decided by the municipality.
INSERT INTO funds (name, description, funder_municipality_id, scope_municipality_id, period_label, opens_on,
                   budget_cents, decision_mode, is_default)
SELECT 'Buurtbudget ' || m.name,
       'De aanvragen van vóór de potjes staan bij dit fonds.',
       m.id, m.id, 'doorlopend', min(f.created_at)::date, GREATEST(sum(f.amount_cents), 1), 'funder', true
FROM funding_requests f
JOIN initiatives i ON i.id = f.initiative_id
JOIN municipalities m ON m.id = i.municipality_id
GROUP BY m.id, m.name;

UPDATE funding_requests f SET fund_id = d.id,
       granted_cents = CASE WHEN f.status = 'toegekend' THEN f.amount_cents END
FROM initiatives i, funds d
WHERE i.id = f.initiative_id AND d.scope_municipality_id = i.municipality_id AND d.is_default;

ALTER TABLE funding_requests
    ALTER COLUMN fund_id SET NOT NULL,
    ADD CONSTRAINT funding_requests_granted CHECK ((status = 'toegekend') = (granted_cents IS NOT NULL)),
    ADD CONSTRAINT funding_requests_granted_at_most_asked CHECK (granted_cents IS NULL OR granted_cents <= amount_cents),
    ADD CONSTRAINT funding_requests_conditions CHECK (status = 'toegekend' OR conditions = '');
CREATE INDEX funding_requests_fund_idx ON funding_requests (fund_id, status);

-- The budget of an application: what, and how much (one line each).
CREATE TABLE funding_request_lines (
    request_id   BIGINT NOT NULL REFERENCES funding_requests (id) ON DELETE CASCADE,
    position     INT NOT NULL CHECK (position BETWEEN 1 AND 30),
    what         TEXT NOT NULL CHECK (what <> '' AND length(what) <= 200),
    amount_cents BIGINT NOT NULL CHECK (amount_cents > 0 AND amount_cents <= 10000000),
    PRIMARY KEY (request_id, position)
);

-- 4. Residents' advice: once per person and application, during the
--    fund's window. support: for or against; the text is optional.
CREATE TABLE funding_advice (
    request_id BIGINT NOT NULL REFERENCES funding_requests (id) ON DELETE CASCADE,
    account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    support    BOOLEAN NOT NULL,
    comment    TEXT NOT NULL DEFAULT '' CHECK (length(comment) <= 1000),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (request_id, account_id)
);
CREATE INDEX funding_advice_account_idx ON funding_advice (account_id);

-- 5. Payouts, in one or more instalments, never more than was granted (the
--    writer checks under a lock of the request).
CREATE TABLE funding_payouts (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id   BIGINT NOT NULL REFERENCES funding_requests (id) ON DELETE CASCADE,
    amount_cents BIGINT NOT NULL CHECK (amount_cents > 0),
    paid_on      DATE NOT NULL,
    note         TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 300),
    recorded_by  BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    idempotency_key UUID UNIQUE
);
CREATE INDEX funding_payouts_request_idx ON funding_payouts (request_id, paid_on);
CREATE INDEX funding_payouts_recorded_by_idx ON funding_payouts (recorded_by) WHERE recorded_by IS NOT NULL;

-- 6. The light account afterwards: three questions and what the money went
--    to, in a few lines. One per application; reminded_at makes the
--    reminder of an overdue account go out once.
CREATE TABLE funding_accounts (
    request_id    BIGINT PRIMARY KEY REFERENCES funding_requests (id) ON DELETE CASCADE,
    what_happened TEXT NOT NULL CHECK (what_happened <> '' AND length(what_happened) <= 2000),
    who_took_part TEXT NOT NULL CHECK (who_took_part <> '' AND length(who_took_part) <= 2000),
    what_brought  TEXT NOT NULL CHECK (what_brought <> '' AND length(what_brought) <= 2000),
    spent_on      TEXT NOT NULL CHECK (spent_on <> '' AND length(spent_on) <= 2000),
    submitted_by  BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    submitted_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX funding_accounts_submitted_by_idx ON funding_accounts (submitted_by) WHERE submitted_by IS NOT NULL;
ALTER TABLE funding_requests ADD COLUMN account_reminded_at TIMESTAMPTZ;
