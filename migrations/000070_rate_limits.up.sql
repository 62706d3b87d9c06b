-- Rate limit counters (internal/ratelimit), shared by every instance of the
-- platform so that running two does not double anyone's allowance. The key
-- is a SHA-256 of the limit's name and the counted key (an IP address or an
-- e-mail address), so the table holds no readable personal data.
CREATE TABLE rate_limits (
    key        BYTEA PRIMARY KEY CHECK (length(key) = 32),
    count      INTEGER NOT NULL CHECK (count > 0),
    expires_at TIMESTAMPTZ NOT NULL
);
-- The sweep deletes windows that have ended.
CREATE INDEX rate_limits_expires_idx ON rate_limits (expires_at);
