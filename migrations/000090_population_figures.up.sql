-- CBS key figures per neighbourhood (Kerncijfers wijken en buurten) and
-- messages to the community workers of a neighbourhood (issue 11).
--
-- 1. The figures sit next to population, which stays the number of
--    inhabitants every reader uses (overview, neighbourhood page). Imported
--    figures set population too; figures_year says they came from the
--    kerncijfers (1 January of that year). NULL means unknown, never 0.
ALTER TABLE neighbourhoods
    ADD COLUMN figures_year SMALLINT CHECK (figures_year BETWEEN 1900 AND 2200),
    ADD COLUMN households   INTEGER CHECK (households >= 0),
    ADD COLUMN age_0_15     INTEGER CHECK (age_0_15 >= 0),
    ADD COLUMN age_15_25    INTEGER CHECK (age_15_25 >= 0),
    ADD COLUMN age_25_45    INTEGER CHECK (age_25_45 >= 0),
    ADD COLUMN age_45_65    INTEGER CHECK (age_45_65 >= 0),
    ADD COLUMN age_65_plus  INTEGER CHECK (age_65_plus >= 0),
    -- Figures come with their year and the inhabitants they describe.
    ADD CONSTRAINT neighbourhoods_figures_year CHECK (
        figures_year IS NOT NULL AND population IS NOT NULL
        OR figures_year IS NULL AND num_nonnulls(households, age_0_15, age_15_25, age_25_45, age_45_65, age_65_plus) = 0);

-- 2. A conversation with a community worker of a neighbourhood, started
--    from that neighbourhood's page: one per member and worker.
ALTER TABLE conversations
    ADD COLUMN worker_id BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    DROP CONSTRAINT conversations_subject_kind_check,
    ADD CONSTRAINT conversations_subject_kind_check
        CHECK (subject_kind IN ('initiatief', 'aanbod', 'hulpbron', 'opbouwwerker'));
CREATE UNIQUE INDEX conversations_worker_party_key ON conversations (worker_id, party_id) WHERE subject_kind = 'opbouwwerker';
CREATE INDEX conversations_worker_idx ON conversations (worker_id) WHERE worker_id IS NOT NULL;
