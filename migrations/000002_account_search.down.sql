DROP INDEX IF EXISTS accounts_name_words_idx;
DROP INDEX IF EXISTS accounts_email_pattern_idx;
