DROP INDEX IF EXISTS api_tokens_live_idx;
-- Without the column a token would never expire again: revoke the ones that
-- have expired, so going back does not bring them back to life.
UPDATE api_tokens SET revoked_at = expires_at WHERE revoked_at IS NULL AND expires_at <= now();
ALTER TABLE api_tokens DROP CONSTRAINT IF EXISTS api_tokens_expires_after_created;
ALTER TABLE api_tokens DROP COLUMN IF EXISTS expires_at;
