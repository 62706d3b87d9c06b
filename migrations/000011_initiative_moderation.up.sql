-- The administrators' moderation list: hidden initiatives, newest first.
CREATE INDEX initiatives_hidden_idx ON initiatives (hidden_at DESC) WHERE hidden_at IS NOT NULL;
