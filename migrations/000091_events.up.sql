-- The neighbourhood agenda (issue 11): events published by initiative
-- owners (for their initiative) and community workers (in their work
-- areas), sign-ups with a waiting list, and moderation like other content.
CREATE TABLE events (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title           TEXT NOT NULL CHECK (title <> '' AND length(title) <= 150),
    description     TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
    theme           TEXT NOT NULL CHECK (theme <> ''),
    starts_at       TIMESTAMPTZ NOT NULL,
    ends_at         TIMESTAMPTZ NOT NULL,
    -- The place: a meeting place of the asset map, or free text (or both:
    -- the text then says where in the place, "de zaal achter").
    place_text      TEXT NOT NULL DEFAULT '' CHECK (length(place_text) <= 200),
    asset_id        BIGINT REFERENCES assets (id) ON DELETE SET NULL,
    -- public: everyone; members: logged-in accounts only.
    visibility      TEXT NOT NULL CHECK (visibility IN ('public', 'members')),
    capacity        INT CHECK (capacity IS NULL OR capacity > 0),
    initiative_id   BIGINT REFERENCES initiatives (id) ON DELETE SET NULL,
    created_by      BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    -- iCalendar SEQUENCE: raised by every change a calendar should pick up.
    sequence        INT NOT NULL DEFAULT 0 CHECK (sequence >= 0),
    cancelled_at    TIMESTAMPTZ,
    cancel_message  TEXT NOT NULL DEFAULT '' CHECK (length(cancel_message) <= 1000),
    -- When the reminders a day before went out (once per event).
    reminded_at     TIMESTAMPTZ,
    -- Idempotency key of the create form: a resubmitted form adds nothing.
    idempotency_key UUID UNIQUE,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    hidden_at       TIMESTAMPTZ,
    hidden_reason   TEXT NOT NULL DEFAULT '' CHECK (length(hidden_reason) <= 500),
    hidden_by       BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    hidden_by_suspension BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT events_span CHECK (ends_at > starts_at),
    CONSTRAINT events_cancelled CHECK (cancelled_at IS NOT NULL OR cancel_message = ''),
    CONSTRAINT events_hidden_reason CHECK ((hidden_at IS NULL) = (hidden_reason = ''))
);
CREATE INDEX events_starts_idx ON events (starts_at);
CREATE INDEX events_asset_idx ON events (asset_id) WHERE asset_id IS NOT NULL;
CREATE INDEX events_initiative_idx ON events (initiative_id, starts_at) WHERE initiative_id IS NOT NULL;
CREATE INDEX events_created_by_idx ON events (created_by) WHERE created_by IS NOT NULL;
CREATE INDEX events_hidden_by_idx ON events (hidden_by) WHERE hidden_by IS NOT NULL;
CREATE INDEX events_hidden_idx ON events (hidden_at DESC) WHERE hidden_at IS NOT NULL;
-- The reminder sweep looks for events not yet reminded.
CREATE INDEX events_unreminded_idx ON events (starts_at) WHERE reminded_at IS NULL AND cancelled_at IS NULL;

-- One or more neighbourhoods per event.
CREATE TABLE event_neighbourhoods (
    event_id         BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    neighbourhood_id BIGINT NOT NULL REFERENCES neighbourhoods (id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, neighbourhood_id)
);
CREATE INDEX event_neighbourhoods_neighbourhood_idx ON event_neighbourhoods (neighbourhood_id, event_id);

-- Sign-ups: a place, or a place on the waiting list (in order of signing up).
CREATE TABLE event_signups (
    event_id    BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    account_id  BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    waiting     BOOLEAN NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    promoted_at TIMESTAMPTZ,
    PRIMARY KEY (event_id, account_id)
);
CREATE INDEX event_signups_account_idx ON event_signups (account_id);
CREATE INDEX event_signups_waiting_idx ON event_signups (event_id, created_at) WHERE waiting;

-- event_fill moves the waiting list up into the free places of event ev
-- (first come, first served) and returns who moved up. It locks the event
-- row first: every sign-up and cancellation does too, so two people never
-- take the same last place. Account deletion (internal/privacy) calls it
-- after removing a person's sign-ups.
CREATE FUNCTION event_fill(ev BIGINT) RETURNS SETOF BIGINT
LANGUAGE plpgsql AS $$
DECLARE
    cap  INT;
    free INT;
BEGIN
    SELECT capacity INTO cap FROM events WHERE id = ev AND cancelled_at IS NULL FOR UPDATE;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    IF cap IS NULL THEN
        free := 2147483647;
    ELSE
        SELECT cap - count(*) INTO free FROM event_signups WHERE event_id = ev AND NOT waiting;
    END IF;
    IF free <= 0 THEN
        RETURN;
    END IF;
    RETURN QUERY
    UPDATE event_signups s SET waiting = false, promoted_at = now()
    FROM (SELECT account_id FROM event_signups
          WHERE event_id = ev AND waiting ORDER BY created_at, account_id LIMIT free) w
    WHERE s.event_id = ev AND s.account_id = w.account_id
    RETURNING s.account_id;
END
$$;

-- Reports of events (the column came with migration 000089).
ALTER TABLE reports ADD CONSTRAINT reports_event_id_fkey FOREIGN KEY (event_id) REFERENCES events (id) ON DELETE CASCADE;
