-- Fold the stripes back into one row per neighbourhood, month and strategy
-- (or theme), then restore the single-row trigger function of 000050.
CREATE TEMP TABLE folded_contacts ON COMMIT DROP AS
SELECT neighbourhood_id, month, strategy, sum(contacts)::int AS contacts, sum(people)::int AS people,
       sum(with_energy)::int AS with_energy, sum(with_concern)::int AS with_concern
  FROM neighbourhood_month_contacts GROUP BY 1, 2, 3;
CREATE TEMP TABLE folded_themes ON COMMIT DROP AS
SELECT neighbourhood_id, month, theme, sum(contacts)::int AS contacts,
       sum(with_energy)::int AS with_energy, sum(with_concern)::int AS with_concern
  FROM neighbourhood_month_contact_themes GROUP BY 1, 2, 3;
DELETE FROM neighbourhood_month_contacts;
DELETE FROM neighbourhood_month_contact_themes;

ALTER TABLE neighbourhood_month_contacts DROP CONSTRAINT neighbourhood_month_contacts_pkey;
ALTER TABLE neighbourhood_month_contacts DROP COLUMN slot;
ALTER TABLE neighbourhood_month_contacts ADD PRIMARY KEY (neighbourhood_id, month, strategy);
ALTER TABLE neighbourhood_month_contact_themes DROP CONSTRAINT neighbourhood_month_contact_themes_pkey;
ALTER TABLE neighbourhood_month_contact_themes DROP COLUMN slot;
ALTER TABLE neighbourhood_month_contact_themes ADD PRIMARY KEY (neighbourhood_id, month, theme);

INSERT INTO neighbourhood_month_contacts (neighbourhood_id, month, strategy, contacts, people, with_energy, with_concern)
SELECT neighbourhood_id, month, strategy, contacts, people, with_energy, with_concern FROM folded_contacts;
INSERT INTO neighbourhood_month_contact_themes (neighbourhood_id, month, theme, contacts, with_energy, with_concern)
SELECT neighbourhood_id, month, theme, contacts, with_energy, with_concern FROM folded_themes;

CREATE OR REPLACE FUNCTION overview_contact_apply(n BIGINT, occurred TIMESTAMPTZ, strat TEXT, people INTEGER,
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
