-- Store the folded (lower-case, unaccented) names, so searching and ranking
-- over ~14,000 neighbourhoods does not call unaccent() once per row.
-- They replace the expression indexes of 000005 and 000007.
DROP INDEX IF EXISTS neighbourhoods_name_trgm_idx;
DROP INDEX IF EXISTS districts_name_trgm_idx;

ALTER TABLE neighbourhoods ADD COLUMN name_folded TEXT GENERATED ALWAYS AS (search_fold(name)) STORED;
ALTER TABLE districts ADD COLUMN name_folded TEXT GENERATED ALWAYS AS (search_fold(name)) STORED;

CREATE INDEX neighbourhoods_name_folded_trgm_idx ON neighbourhoods USING gin (name_folded gin_trgm_ops);
CREATE INDEX districts_name_folded_trgm_idx ON districts USING gin (name_folded gin_trgm_ops);
