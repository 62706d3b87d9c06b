DROP INDEX IF EXISTS initiatives_hidden_idx;
