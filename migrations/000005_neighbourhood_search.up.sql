-- Finding a neighbourhood by part of its name, ignoring case and accents
-- ("munein" finds "Mûnein"), fast enough for all ~14,000 CBS neighbourhoods.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- unaccent() is only STABLE (its dictionary could change); naming the
-- dictionary explicitly makes this wrapper safe to declare IMMUTABLE for an index.
CREATE FUNCTION search_fold(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN lower(public.unaccent('public.unaccent'::regdictionary, $1));

CREATE INDEX neighbourhoods_name_trgm_idx ON neighbourhoods USING gin (search_fold(name) gin_trgm_ops);
CREATE INDEX municipalities_name_trgm_idx ON municipalities USING gin (search_fold(name) gin_trgm_ops);
-- Code prefixes (BU0344…) under any collation.
CREATE INDEX neighbourhoods_code_pattern_idx ON neighbourhoods (code text_pattern_ops);
