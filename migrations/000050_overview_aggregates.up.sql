-- Monthly pre-aggregates per neighbourhood for the municipality overview.
-- Triggers on the features' tables keep them in step with every
-- insert, update and delete IN THE SAME TRANSACTION, so the overview never
-- reads stale figures and the features do not need to know about it. Each
-- trigger does one upsert per affected key (an update that moves a row to
-- another month, neighbourhood or strategy: one subtract and one add).
-- Rows whose counts fall back to zero stay; they add nothing.
--
-- Months are calendar months in Europe/Amsterdam. Bulk loaders may disable
-- the triggers (ALTER TABLE ... DISABLE TRIGGER USER) and call
-- overview_rebuild() afterwards, which recomputes every table in one go.

-- Plain SQL bodies (not RETURN) so the planner can inline these helpers.
CREATE FUNCTION overview_month(ts TIMESTAMPTZ) RETURNS DATE
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT date_trunc('month', ts AT TIME ZONE 'Europe/Amsterdam')::date $$;

-- Street contacts per neighbourhood, month and strategy.
CREATE TABLE neighbourhood_month_contacts (
    neighbourhood_id BIGINT NOT NULL REFERENCES neighbourhoods (id) ON DELETE CASCADE,
    month            DATE NOT NULL,
    strategy         TEXT NOT NULL,
    contacts         INTEGER NOT NULL DEFAULT 0,
    people           INTEGER NOT NULL DEFAULT 0,
    with_energy      INTEGER NOT NULL DEFAULT 0,
    with_concern     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (neighbourhood_id, month, strategy)
);

-- Street contacts per neighbourhood, month and theme (a contact with three
-- themes counts once under each), split by what residents said: energy
-- (what they want) and concern (what worries them).
CREATE TABLE neighbourhood_month_contact_themes (
    neighbourhood_id BIGINT NOT NULL REFERENCES neighbourhoods (id) ON DELETE CASCADE,
    month            DATE NOT NULL,
    theme            TEXT NOT NULL,
    contacts         INTEGER NOT NULL DEFAULT 0,
    with_energy      INTEGER NOT NULL DEFAULT 0,
    with_concern     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (neighbourhood_id, month, theme)
);

-- Activities per neighbourhood, month (of the activity's date) and strategy.
CREATE TABLE neighbourhood_month_activities (
    neighbourhood_id BIGINT NOT NULL REFERENCES neighbourhoods (id) ON DELETE CASCADE,
    month            DATE NOT NULL,
    strategy         TEXT NOT NULL,
    activities       INTEGER NOT NULL DEFAULT 0,
    participants     BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (neighbourhood_id, month, strategy)
);

-- Signals per neighbourhood, month raised, theme and whether they are still
-- open (gesignaleerd, geagendeerd, in behandeling).
CREATE TABLE neighbourhood_month_signals (
    neighbourhood_id BIGINT NOT NULL REFERENCES neighbourhoods (id) ON DELETE CASCADE,
    month            DATE NOT NULL,
    theme            TEXT NOT NULL,
    is_open          BOOLEAN NOT NULL,
    signals          INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (neighbourhood_id, month, theme, is_open)
);

-- Visible (not hidden) initiatives per neighbourhood, month started and
-- current status, with their members (owners plus supporters). An initiative
-- in two neighbourhoods counts in both.
CREATE TABLE neighbourhood_month_initiatives (
    neighbourhood_id BIGINT NOT NULL REFERENCES neighbourhoods (id) ON DELETE CASCADE,
    month            DATE NOT NULL,
    status           TEXT NOT NULL,
    initiatives      INTEGER NOT NULL DEFAULT 0,
    members          INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (neighbourhood_id, month, status)
);

-- The overview reads by month across one municipality's neighbourhoods; the
-- primary keys lead with the neighbourhood, which is what the drill-down and
-- the per-municipality join (neighbourhood ids of one municipality) need.

---------------------------------------------------------------- contacts

CREATE FUNCTION overview_contact_apply(n BIGINT, occurred TIMESTAMPTZ, strat TEXT, people INTEGER,
                                       energy TEXT, concern TEXT, themes TEXT[], sign INTEGER)
    RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    m DATE := overview_month(occurred);
    e INTEGER := CASE WHEN energy <> '' THEN sign ELSE 0 END;
    c INTEGER := CASE WHEN concern <> '' THEN sign ELSE 0 END;
BEGIN
    INSERT INTO neighbourhood_month_contacts AS t (neighbourhood_id, month, strategy, contacts, people, with_energy, with_concern)
    VALUES (n, m, strat, sign, sign * people, e, c)
    ON CONFLICT (neighbourhood_id, month, strategy) DO UPDATE
       SET contacts = t.contacts + EXCLUDED.contacts, people = t.people + EXCLUDED.people,
           with_energy = t.with_energy + EXCLUDED.with_energy, with_concern = t.with_concern + EXCLUDED.with_concern;
    IF cardinality(themes) > 0 THEN
        INSERT INTO neighbourhood_month_contact_themes AS t (neighbourhood_id, month, theme, contacts, with_energy, with_concern)
        SELECT n, m, th, sign, e, c FROM (SELECT DISTINCT unnest(themes) AS th) u ORDER BY th
        ON CONFLICT (neighbourhood_id, month, theme) DO UPDATE
           SET contacts = t.contacts + EXCLUDED.contacts,
               with_energy = t.with_energy + EXCLUDED.with_energy, with_concern = t.with_concern + EXCLUDED.with_concern;
    END IF;
END;
$$;

CREATE FUNCTION overview_contacts_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.neighbourhood_id = OLD.neighbourhood_id AND overview_month(NEW.occurred_at) = overview_month(OLD.occurred_at)
       AND NEW.strategy = OLD.strategy AND NEW.people_count = OLD.people_count
       AND (NEW.energy <> '') = (OLD.energy <> '') AND (NEW.concern <> '') = (OLD.concern <> '')
       AND NEW.themes = OLD.themes THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM overview_contact_apply(OLD.neighbourhood_id, OLD.occurred_at, OLD.strategy, OLD.people_count,
                                       OLD.energy, OLD.concern, OLD.themes, -1);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        PERFORM overview_contact_apply(NEW.neighbourhood_id, NEW.occurred_at, NEW.strategy, NEW.people_count,
                                       NEW.energy, NEW.concern, NEW.themes, 1);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER overview_contacts AFTER INSERT OR DELETE OR UPDATE OF neighbourhood_id, occurred_at, strategy, people_count, energy, concern, themes
    ON contacts FOR EACH ROW EXECUTE FUNCTION overview_contacts_trigger();

---------------------------------------------------------------- activities

CREATE FUNCTION overview_activities_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.neighbourhood_id = OLD.neighbourhood_id AND date_trunc('month', NEW.date) = date_trunc('month', OLD.date)
       AND NEW.strategy = OLD.strategy AND NEW.participant_count = OLD.participant_count THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO neighbourhood_month_activities AS t (neighbourhood_id, month, strategy, activities, participants)
        VALUES (OLD.neighbourhood_id, date_trunc('month', OLD.date)::date, OLD.strategy, -1, -OLD.participant_count)
        ON CONFLICT (neighbourhood_id, month, strategy) DO UPDATE
           SET activities = t.activities + EXCLUDED.activities, participants = t.participants + EXCLUDED.participants;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO neighbourhood_month_activities AS t (neighbourhood_id, month, strategy, activities, participants)
        VALUES (NEW.neighbourhood_id, date_trunc('month', NEW.date)::date, NEW.strategy, 1, NEW.participant_count)
        ON CONFLICT (neighbourhood_id, month, strategy) DO UPDATE
           SET activities = t.activities + EXCLUDED.activities, participants = t.participants + EXCLUDED.participants;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER overview_activities AFTER INSERT OR DELETE OR UPDATE OF neighbourhood_id, date, strategy, participant_count
    ON activities FOR EACH ROW EXECUTE FUNCTION overview_activities_trigger();

---------------------------------------------------------------- signals

CREATE FUNCTION overview_signal_open(status TEXT) RETURNS BOOLEAN
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT status IN ('gesignaleerd', 'geagendeerd', 'in_behandeling') $$;

-- Responses change a signal's status (and first_response_at) through an
-- UPDATE of signals, so this one trigger also covers signal_responses.
CREATE FUNCTION overview_signals_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.neighbourhood_id = OLD.neighbourhood_id AND overview_month(NEW.created_at) = overview_month(OLD.created_at)
       AND NEW.theme = OLD.theme AND overview_signal_open(NEW.status) = overview_signal_open(OLD.status) THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO neighbourhood_month_signals AS t (neighbourhood_id, month, theme, is_open, signals)
        VALUES (OLD.neighbourhood_id, overview_month(OLD.created_at), OLD.theme, overview_signal_open(OLD.status), -1)
        ON CONFLICT (neighbourhood_id, month, theme, is_open) DO UPDATE SET signals = t.signals + EXCLUDED.signals;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        INSERT INTO neighbourhood_month_signals AS t (neighbourhood_id, month, theme, is_open, signals)
        VALUES (NEW.neighbourhood_id, overview_month(NEW.created_at), NEW.theme, overview_signal_open(NEW.status), 1)
        ON CONFLICT (neighbourhood_id, month, theme, is_open) DO UPDATE SET signals = t.signals + EXCLUDED.signals;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER overview_signals AFTER INSERT OR DELETE OR UPDATE OF neighbourhood_id, created_at, theme, status
    ON signals FOR EACH ROW EXECUTE FUNCTION overview_signals_trigger();

---------------------------------------------------------------- initiatives

-- The invariant: every (initiative, neighbourhood) pair of a visible
-- initiative adds 1 initiative and its member count under the key
-- (neighbourhood, month of created_at, status).

CREATE FUNCTION overview_initiative_members(i BIGINT) RETURNS INTEGER
    LANGUAGE sql STABLE
    RETURN (SELECT count(*) FROM initiative_owners WHERE initiative_id = i)
         + (SELECT count(*) FROM initiative_supporters WHERE initiative_id = i);

-- overview_initiative_apply adds (sign 1) or removes (-1) the initiative with
-- the given key in its neighbourhoods (one, or all when n is NULL).
CREATE FUNCTION overview_initiative_apply(i BIGINT, n BIGINT, created TIMESTAMPTZ, st TEXT,
                                          inits INTEGER, members INTEGER)
    RETURNS void LANGUAGE sql AS $$
    INSERT INTO neighbourhood_month_initiatives AS t (neighbourhood_id, month, status, initiatives, members)
    SELECT inb.neighbourhood_id, overview_month(created), st, inits, members
      FROM initiative_neighbourhoods inb
     WHERE inb.initiative_id = i AND (n IS NULL OR inb.neighbourhood_id = n)
     ORDER BY inb.neighbourhood_id
    ON CONFLICT (neighbourhood_id, month, status) DO UPDATE
       SET initiatives = t.initiatives + EXCLUDED.initiatives, members = t.members + EXCLUDED.members;
$$;

CREATE FUNCTION overview_initiatives_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    members INTEGER;
BEGIN
    IF TG_OP = 'DELETE' THEN
        -- BEFORE DELETE: the neighbourhood rows still exist; their cascade
        -- delete finds no initiative and leaves the aggregate alone.
        IF OLD.hidden_at IS NULL THEN
            PERFORM overview_initiative_apply(OLD.id, NULL, OLD.created_at, OLD.status, -1, -overview_initiative_members(OLD.id));
        END IF;
        RETURN OLD;
    END IF;
    IF (OLD.hidden_at IS NULL) = (NEW.hidden_at IS NULL) AND OLD.status = NEW.status
       AND overview_month(OLD.created_at) = overview_month(NEW.created_at) THEN
        RETURN NULL;
    END IF;
    members := overview_initiative_members(NEW.id);
    IF OLD.hidden_at IS NULL THEN
        PERFORM overview_initiative_apply(OLD.id, NULL, OLD.created_at, OLD.status, -1, -members);
    END IF;
    IF NEW.hidden_at IS NULL THEN
        PERFORM overview_initiative_apply(NEW.id, NULL, NEW.created_at, NEW.status, 1, members);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER overview_initiatives_update AFTER UPDATE OF status, hidden_at, created_at
    ON initiatives FOR EACH ROW EXECUTE FUNCTION overview_initiatives_trigger();
CREATE TRIGGER overview_initiatives_delete BEFORE DELETE
    ON initiatives FOR EACH ROW EXECUTE FUNCTION overview_initiatives_trigger();

CREATE FUNCTION overview_initiative_neighbourhoods_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ini initiatives%ROWTYPE;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT * INTO ini FROM initiatives WHERE id = NEW.initiative_id;
        IF FOUND AND ini.hidden_at IS NULL THEN
            PERFORM overview_initiative_apply(ini.id, NEW.neighbourhood_id, ini.created_at, ini.status, 1,
                                              overview_initiative_members(ini.id));
        END IF;
        RETURN NULL;
    END IF;
    SELECT * INTO ini FROM initiatives WHERE id = OLD.initiative_id;
    IF FOUND AND ini.hidden_at IS NULL THEN
        -- The pair is gone already, so add the negative directly.
        INSERT INTO neighbourhood_month_initiatives AS t (neighbourhood_id, month, status, initiatives, members)
        VALUES (OLD.neighbourhood_id, overview_month(ini.created_at), ini.status, -1, -overview_initiative_members(ini.id))
        ON CONFLICT (neighbourhood_id, month, status) DO UPDATE
           SET initiatives = t.initiatives + EXCLUDED.initiatives, members = t.members + EXCLUDED.members;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER overview_initiative_neighbourhoods AFTER INSERT OR DELETE
    ON initiative_neighbourhoods FOR EACH ROW EXECUTE FUNCTION overview_initiative_neighbourhoods_trigger();

-- Owners and supporters: one member more or less in each of the initiative's neighbourhoods.
CREATE FUNCTION overview_initiative_members_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    ini initiatives%ROWTYPE;
BEGIN
    IF TG_OP = 'DELETE' THEN
        SELECT * INTO ini FROM initiatives WHERE id = OLD.initiative_id;
    ELSE
        SELECT * INTO ini FROM initiatives WHERE id = NEW.initiative_id;
    END IF;
    IF FOUND AND ini.hidden_at IS NULL THEN
        PERFORM overview_initiative_apply(ini.id, NULL, ini.created_at, ini.status, 0,
                                          CASE WHEN TG_OP = 'DELETE' THEN -1 ELSE 1 END);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER overview_initiative_owners AFTER INSERT OR DELETE
    ON initiative_owners FOR EACH ROW EXECUTE FUNCTION overview_initiative_members_trigger();
CREATE TRIGGER overview_initiative_supporters AFTER INSERT OR DELETE
    ON initiative_supporters FOR EACH ROW EXECUTE FUNCTION overview_initiative_members_trigger();

---------------------------------------------------------------- rebuild

-- overview_rebuild recomputes every aggregate from the source tables, for
-- bulk loads that ran with the triggers disabled. Rows go in ordered by
-- their key, so one neighbourhood's months lie together on disk.
CREATE FUNCTION overview_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE neighbourhood_month_contacts, neighbourhood_month_contact_themes, neighbourhood_month_activities,
             neighbourhood_month_signals, neighbourhood_month_initiatives;
    INSERT INTO neighbourhood_month_contacts (neighbourhood_id, month, strategy, contacts, people, with_energy, with_concern)
    SELECT neighbourhood_id, overview_month(occurred_at), strategy, count(*), sum(people_count),
           count(*) FILTER (WHERE energy <> ''), count(*) FILTER (WHERE concern <> '')
      FROM contacts GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
    INSERT INTO neighbourhood_month_contact_themes (neighbourhood_id, month, theme, contacts, with_energy, with_concern)
    SELECT c.neighbourhood_id, overview_month(c.occurred_at), th, count(*),
           count(*) FILTER (WHERE c.energy <> ''), count(*) FILTER (WHERE c.concern <> '')
      FROM contacts c CROSS JOIN LATERAL (SELECT DISTINCT unnest(c.themes) AS th) u
     GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
    INSERT INTO neighbourhood_month_activities (neighbourhood_id, month, strategy, activities, participants)
    SELECT neighbourhood_id, date_trunc('month', date)::date, strategy, count(*), sum(participant_count)
      FROM activities GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
    INSERT INTO neighbourhood_month_signals (neighbourhood_id, month, theme, is_open, signals)
    SELECT neighbourhood_id, overview_month(created_at), theme, overview_signal_open(status), count(*)
      FROM signals GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4;
    INSERT INTO neighbourhood_month_initiatives (neighbourhood_id, month, status, initiatives, members)
    SELECT inb.neighbourhood_id, overview_month(i.created_at), i.status, count(*),
           sum(coalesce(o.n, 0) + coalesce(s.n, 0))
      FROM initiatives i
      JOIN initiative_neighbourhoods inb ON inb.initiative_id = i.id
      LEFT JOIN (SELECT initiative_id, count(*) AS n FROM initiative_owners GROUP BY 1) o ON o.initiative_id = i.id
      LEFT JOIN (SELECT initiative_id, count(*) AS n FROM initiative_supporters GROUP BY 1) s ON s.initiative_id = i.id
     WHERE i.hidden_at IS NULL
     GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
END;
$$;

-- Open signals and the median time to a first response are read straight
-- from signals (too few rows to need more than this index; a median does
-- not add up across months).
CREATE INDEX overview_signals_first_response_idx ON signals (neighbourhood_id, created_at) INCLUDE (first_response_at, status);
-- Funding granted is read straight from funding_requests per municipality.
CREATE INDEX overview_funding_decided_idx ON funding_requests (decided_at) WHERE status = 'toegekend';

-- Count whatever the features stored before this migration ran.
SELECT overview_rebuild();
