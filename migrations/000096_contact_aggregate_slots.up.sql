-- Street contacts are logged by many workers at once, often in the same
-- neighbourhood in the same month (a street party, a door-to-door round).
-- Each insert adds to the month's aggregate row in a trigger, and that row
-- stays locked until the transaction's commit is on disk: every worker in
-- the neighbourhood waited for the one before, so writes did not scale
-- past one commit at a time (about 600 a second on the benchmark machine).
--
-- The aggregate rows are now striped: a row per slot, the slot taken from
-- the writing backend's process id, so concurrent transactions (on
-- different connections) add to different rows. Every reader already sums
-- over the rows of a neighbourhood and month, so the figures do not change;
-- overview_rebuild() keeps writing slot 0.
ALTER TABLE neighbourhood_month_contacts ADD COLUMN slot SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE neighbourhood_month_contacts DROP CONSTRAINT neighbourhood_month_contacts_pkey;
ALTER TABLE neighbourhood_month_contacts ADD PRIMARY KEY (neighbourhood_id, month, strategy, slot);

ALTER TABLE neighbourhood_month_contact_themes ADD COLUMN slot SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE neighbourhood_month_contact_themes DROP CONSTRAINT neighbourhood_month_contact_themes_pkey;
ALTER TABLE neighbourhood_month_contact_themes ADD PRIMARY KEY (neighbourhood_id, month, theme, slot);

CREATE OR REPLACE FUNCTION overview_contact_apply(n BIGINT, occurred TIMESTAMPTZ, strat TEXT, people INTEGER,
                                                  energy TEXT, concern TEXT, themes TEXT[], sign INTEGER)
    RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    m DATE := overview_month(occurred);
    e INTEGER := CASE WHEN energy <> '' THEN sign ELSE 0 END;
    c INTEGER := CASE WHEN concern <> '' THEN sign ELSE 0 END;
    -- Eight stripes: enough for the connections of a few app instances to
    -- rarely meet on one row, few enough to keep the sums cheap.
    s SMALLINT := pg_backend_pid() % 8;
BEGIN
    INSERT INTO neighbourhood_month_contacts AS t (neighbourhood_id, month, strategy, slot, contacts, people, with_energy, with_concern)
    VALUES (n, m, strat, s, sign, sign * people, e, c)
    ON CONFLICT (neighbourhood_id, month, strategy, slot) DO UPDATE
       SET contacts = t.contacts + EXCLUDED.contacts, people = t.people + EXCLUDED.people,
           with_energy = t.with_energy + EXCLUDED.with_energy, with_concern = t.with_concern + EXCLUDED.with_concern;
    IF cardinality(themes) > 0 THEN
        INSERT INTO neighbourhood_month_contact_themes AS t (neighbourhood_id, month, theme, slot, contacts, with_energy, with_concern)
        SELECT n, m, th, s, sign, e, c FROM (SELECT DISTINCT unnest(themes) AS th) u ORDER BY th
        ON CONFLICT (neighbourhood_id, month, theme, slot) DO UPDATE
           SET contacts = t.contacts + EXCLUDED.contacts,
               with_energy = t.with_energy + EXCLUDED.with_energy, with_concern = t.with_concern + EXCLUDED.with_concern;
    END IF;
END;
$$;
