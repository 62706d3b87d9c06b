DROP INDEX IF EXISTS districts_name_trgm_idx;
