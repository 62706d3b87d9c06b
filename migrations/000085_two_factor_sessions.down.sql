DROP TABLE session_meta;
DROP INDEX sessions_token_hash_idx;
ALTER TABLE sessions DROP COLUMN token_hash;
DROP TABLE mfa_recovery_codes;
DROP TABLE mfa_totp;
