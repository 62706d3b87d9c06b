-- Finding a district (wijk) by part of its name, like neighbourhoods (000005).
CREATE INDEX districts_name_trgm_idx ON districts USING gin (search_fold(name) gin_trgm_ops);
