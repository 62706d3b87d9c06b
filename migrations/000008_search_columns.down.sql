DROP INDEX IF EXISTS districts_name_folded_trgm_idx;
DROP INDEX IF EXISTS neighbourhoods_name_folded_trgm_idx;
ALTER TABLE districts DROP COLUMN IF EXISTS name_folded;
ALTER TABLE neighbourhoods DROP COLUMN IF EXISTS name_folded;
CREATE INDEX districts_name_trgm_idx ON districts USING gin (search_fold(name) gin_trgm_ops);
CREATE INDEX neighbourhoods_name_trgm_idx ON neighbourhoods USING gin (search_fold(name) gin_trgm_ops);
