-- Help between neighbours (burenhulp): a resident asks for a small hand or
-- offers one, for a period, in a neighbourhood. Members of that
-- neighbourhood and the neighbouring ones (nearby_neighbourhoods) see it
-- with the author's first name only; a neighbour answers with a message.
-- Whether a request is open is computed from its dates: one whose period
-- ended (Europe/Amsterdam) counts as expired, without a job to mark it.
CREATE TABLE help_requests (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- vraag: asks for help; aanbod: offers it.
    kind             TEXT NOT NULL CHECK (kind IN ('vraag', 'aanbod')),
    category         TEXT NOT NULL CHECK (category IN
                         ('boodschappen', 'klusje', 'vervoer', 'gezelschap', 'taal', 'computer', 'anders')),
    body             TEXT NOT NULL CHECK (body <> '' AND length(body) <= 500),
    neighbourhood_id BIGINT NOT NULL REFERENCES neighbourhoods (id) ON DELETE CASCADE,
    -- The author's data go with their account.
    author_id        BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    starts_on        DATE NOT NULL,
    ends_on          DATE NOT NULL,
    -- open until the author marks it helped (geholpen) or withdraws it
    -- (ingetrokken); expired is open with ends_on before today.
    status           TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'geholpen', 'ingetrokken')),
    closed_at        TIMESTAMPTZ,
    -- When the first neighbour answered (kept when they leave): the
    -- overview counts answered requests with it.
    answered_at      TIMESTAMPTZ,
    -- Idempotency token of the form: a form sent twice adds one request.
    idempotency_key  UUID NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    hidden_at        TIMESTAMPTZ,
    hidden_reason    TEXT NOT NULL DEFAULT '' CHECK (length(hidden_reason) <= 500),
    hidden_by        BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    hidden_by_suspension BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT help_requests_period CHECK (ends_on >= starts_on),
    CONSTRAINT help_requests_closed CHECK ((status = 'open') = (closed_at IS NULL)),
    CONSTRAINT help_requests_hidden_reason CHECK ((hidden_at IS NULL) = (hidden_reason = '')),
    CONSTRAINT help_requests_idempotency_key UNIQUE (author_id, idempotency_key)
);
CREATE INDEX help_requests_neighbourhood_idx ON help_requests (neighbourhood_id, ends_on) WHERE status = 'open';
CREATE INDEX help_requests_created_idx ON help_requests (neighbourhood_id, created_at);
CREATE INDEX help_requests_author_idx ON help_requests (author_id, created_at DESC);
CREATE INDEX help_requests_hidden_by_idx ON help_requests (hidden_by) WHERE hidden_by IS NOT NULL;
CREATE INDEX help_requests_hidden_idx ON help_requests (hidden_at DESC) WHERE hidden_at IS NOT NULL;

-- Who answered "Ik kan helpen" (or "Ik wil dit graag"): once per person.
CREATE TABLE help_responses (
    help_request_id BIGINT NOT NULL REFERENCES help_requests (id) ON DELETE CASCADE,
    responder_id    BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (help_request_id, responder_id)
);
CREATE INDEX help_responses_responder_idx ON help_responses (responder_id);

-- Conversations about a help request: the author and one responder each.
ALTER TABLE conversations
    DROP CONSTRAINT conversations_subject_kind_check,
    ADD CONSTRAINT conversations_subject_kind_check
        CHECK (subject_kind IN ('initiatief', 'aanbod', 'hulpbron', 'opbouwwerker', 'burenhulp')),
    ADD COLUMN help_request_id BIGINT REFERENCES help_requests (id) ON DELETE SET NULL;
CREATE UNIQUE INDEX conversations_help_party_key ON conversations (help_request_id, party_id) WHERE subject_kind = 'burenhulp';
CREATE INDEX conversations_help_idx ON conversations (help_request_id) WHERE help_request_id IS NOT NULL;

-- Reports of help requests (the column came with migration 000089).
ALTER TABLE reports ADD CONSTRAINT reports_help_request_id_fkey
    FOREIGN KEY (help_request_id) REFERENCES help_requests (id) ON DELETE CASCADE;
