-- Photos of initiatives, events and places on the asset map.
--
-- A photo belongs to exactly one subject and goes with it.
-- The upload is decoded and re-encoded (no EXIF or GPS survives) into a
-- few standard widths, each stored as its own row, so every instance of the
-- platform serves the same bytes. hash is a digest of the stored bytes and
-- part of every URL, so a URL's bytes never change and may be cached for a
-- year.
CREATE TABLE photos (
    id                   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    initiative_id        BIGINT REFERENCES initiatives (id) ON DELETE CASCADE,
    asset_id             BIGINT REFERENCES assets (id) ON DELETE CASCADE,
    event_id             BIGINT REFERENCES events (id) ON DELETE CASCADE,
    -- Who uploaded it; the photo belongs to its subject and stays when the
    -- uploader deletes their account.
    uploaded_by          BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    alt_text             TEXT NOT NULL CHECK (btrim(alt_text) <> '' AND length(alt_text) <= 250),
    width                INT NOT NULL CHECK (width > 0),
    height               INT NOT NULL CHECK (height > 0),
    hash                 TEXT NOT NULL CHECK (hash ~ '^[0-9a-f]{16}$'),
    -- Idempotency key of the upload form: a double submit adds one photo.
    idempotency_key      UUID NOT NULL,
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
    hidden_at            TIMESTAMPTZ,
    hidden_reason        TEXT NOT NULL DEFAULT '' CHECK (length(hidden_reason) <= 500),
    hidden_by            BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    hidden_by_suspension BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT photos_one_subject CHECK (num_nonnulls(initiative_id, asset_id, event_id) = 1),
    CONSTRAINT photos_hidden_reason CHECK ((hidden_at IS NULL) = (hidden_reason = '')),
    CONSTRAINT photos_idempotency_key UNIQUE (idempotency_key)
);
CREATE INDEX photos_initiative_idx ON photos (initiative_id, id) WHERE initiative_id IS NOT NULL;
CREATE INDEX photos_asset_idx ON photos (asset_id, id) WHERE asset_id IS NOT NULL;
CREATE INDEX photos_event_idx ON photos (event_id, id) WHERE event_id IS NOT NULL;
CREATE INDEX photos_uploaded_by_idx ON photos (uploaded_by) WHERE uploaded_by IS NOT NULL;
CREATE INDEX photos_hidden_by_idx ON photos (hidden_by) WHERE hidden_by IS NOT NULL;
CREATE INDEX photos_hidden_idx ON photos (hidden_at DESC) WHERE hidden_at IS NOT NULL;

-- One stored picture per photo and width (never wider than the upload).
CREATE TABLE photo_variants (
    photo_id     BIGINT NOT NULL REFERENCES photos (id) ON DELETE CASCADE,
    width        INT NOT NULL CHECK (width > 0 AND width <= 4096),
    height       INT NOT NULL CHECK (height > 0),
    content_type TEXT NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png')),
    data         BYTEA NOT NULL CHECK (length(data) > 0),
    PRIMARY KEY (photo_id, width)
);

-- Reports of photos (the column came with migration 000089).
ALTER TABLE reports ADD CONSTRAINT reports_photo_id_fkey FOREIGN KEY (photo_id) REFERENCES photos (id) ON DELETE CASCADE;
