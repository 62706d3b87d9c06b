DELETE FROM conversations WHERE subject_kind = 'opbouwwerker';
DROP INDEX conversations_worker_idx;
DROP INDEX conversations_worker_party_key;
ALTER TABLE conversations
    DROP CONSTRAINT conversations_subject_kind_check,
    DROP COLUMN worker_id,
    ADD CONSTRAINT conversations_subject_kind_check CHECK (subject_kind IN ('initiatief', 'aanbod', 'hulpbron'));

ALTER TABLE neighbourhoods
    DROP CONSTRAINT neighbourhoods_figures_year,
    DROP COLUMN figures_year,
    DROP COLUMN households,
    DROP COLUMN age_0_15,
    DROP COLUMN age_15_25,
    DROP COLUMN age_25_45,
    DROP COLUMN age_45_65,
    DROP COLUMN age_65_plus;
