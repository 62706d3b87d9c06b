DROP INDEX IF EXISTS initiatives_count_idx;
