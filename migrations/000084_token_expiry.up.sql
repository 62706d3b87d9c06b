-- API tokens expire. A token lives at most a year (the person picks how
-- long when making it, 90 days unless they choose otherwise), so a token
-- forgotten on an old phone stops working by itself. Tokens that exist
-- already get 90 days from now: long enough to make a new one, and no
-- working field app stops without warning.
ALTER TABLE api_tokens ADD COLUMN expires_at TIMESTAMPTZ;
UPDATE api_tokens SET expires_at = now() + interval '90 days';
ALTER TABLE api_tokens
    ALTER COLUMN expires_at SET DEFAULT now() + interval '90 days',
    ALTER COLUMN expires_at SET NOT NULL,
    ADD CONSTRAINT api_tokens_expires_after_created CHECK (expires_at > created_at);

-- A password change, a password reset or a lost role ends every live token
-- of the account (WHERE account_id = $1 AND revoked_at IS NULL). Only live
-- tokens are in this index, so it stays small however many old ones pile
-- up. A token's use goes through the unique token_hash index; its expiry is
-- checked on that one row.
CREATE INDEX api_tokens_live_idx ON api_tokens (account_id) WHERE revoked_at IS NULL;
