DROP INDEX IF EXISTS neighbourhoods_code_pattern_idx;
DROP INDEX IF EXISTS municipalities_name_trgm_idx;
DROP INDEX IF EXISTS neighbourhoods_name_trgm_idx;
DROP FUNCTION IF EXISTS search_fold(text);
DROP EXTENSION IF EXISTS pg_trgm;
DROP EXTENSION IF EXISTS unaccent;
