-- Administrators find accounts by the start of an e-mail address or of any
-- word of a name ("vries" finds "Anna de Vries"), without a full scan.
CREATE INDEX accounts_email_pattern_idx ON accounts (lower(email::text) text_pattern_ops);
CREATE INDEX accounts_name_words_idx ON accounts USING gin (to_tsvector('simple', display_name));
