-- Sessions (scs pgxstore), geography (CBS codes), organisations and accounts.

CREATE EXTENSION IF NOT EXISTS citext;

CREATE TABLE sessions (
    token  TEXT PRIMARY KEY,
    data   BYTEA NOT NULL,
    expiry TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry);

CREATE TABLE municipalities (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code       TEXT NOT NULL CONSTRAINT municipalities_code_key UNIQUE CHECK (code ~ '^GM[0-9]{4}$'),
    name       TEXT NOT NULL CHECK (name <> ''),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX municipalities_name_idx ON municipalities (lower(name));

CREATE TABLE districts (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code            TEXT NOT NULL CONSTRAINT districts_code_key UNIQUE CHECK (code ~ '^WK[0-9]{6}$'),
    municipality_id BIGINT NOT NULL REFERENCES municipalities (id) ON DELETE RESTRICT,
    name            TEXT NOT NULL CHECK (name <> ''),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX districts_municipality_idx ON districts (municipality_id);

CREATE TABLE neighbourhoods (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code            TEXT NOT NULL CONSTRAINT neighbourhoods_code_key UNIQUE CHECK (code ~ '^BU[0-9]{8}$'),
    district_id     BIGINT NOT NULL REFERENCES districts (id) ON DELETE RESTRICT,
    municipality_id BIGINT NOT NULL REFERENCES municipalities (id) ON DELETE RESTRICT,
    name            TEXT NOT NULL CHECK (name <> ''),
    population      INTEGER CHECK (population IS NULL OR population >= 0),
    centroid_lat    DOUBLE PRECISION,
    centroid_lon    DOUBLE PRECISION,
    area_km2        DOUBLE PRECISION,
    -- GeoJSON geometry (Polygon or MultiPolygon) in WGS84, generalised.
    boundary        JSONB,
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX neighbourhoods_district_idx ON neighbourhoods (district_id);
CREATE INDEX neighbourhoods_municipality_idx ON neighbourhoods (municipality_id);
CREATE INDEX neighbourhoods_name_idx ON neighbourhoods (lower(name) text_pattern_ops);

CREATE TABLE organisations (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       TEXT NOT NULL CHECK (name <> '' AND length(name) <= 200),
    kind       TEXT NOT NULL CHECK (kind IN ('welzijn', 'woningcorporatie', 'vereniging', 'bibliotheek', 'school', 'gemeente', 'overig')),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT organisations_name_key UNIQUE (name)
);

CREATE TABLE accounts (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email             CITEXT NOT NULL CONSTRAINT accounts_email_key UNIQUE,
    display_name      TEXT NOT NULL CHECK (display_name <> '' AND length(display_name) <= 100),
    password_hash     TEXT NOT NULL,
    -- Every account is a resident; other roles are added by an administrator.
    roles             TEXT[] NOT NULL DEFAULT '{resident}'
                      CHECK (roles <@ ARRAY['resident', 'worker', 'officer', 'admin']::TEXT[] AND cardinality(roles) >= 1),
    home_neighbourhood_id BIGINT REFERENCES neighbourhoods (id) ON DELETE SET NULL,
    organisation_id   BIGINT REFERENCES organisations (id) ON DELETE SET NULL,
    municipality_id   BIGINT REFERENCES municipalities (id) ON DELETE SET NULL,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_login_at     TIMESTAMPTZ,
    password_changed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX accounts_roles_idx ON accounts USING GIN (roles);
CREATE INDEX accounts_municipality_idx ON accounts (municipality_id) WHERE municipality_id IS NOT NULL;
CREATE INDEX accounts_organisation_idx ON accounts (organisation_id) WHERE organisation_id IS NOT NULL;

-- Work areas of community workers.
CREATE TABLE account_work_areas (
    account_id       BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    neighbourhood_id BIGINT NOT NULL REFERENCES neighbourhoods (id) ON DELETE CASCADE,
    PRIMARY KEY (account_id, neighbourhood_id)
);
CREATE INDEX account_work_areas_neighbourhood_idx ON account_work_areas (neighbourhood_id);

CREATE TABLE password_resets (
    token_hash  BYTEA PRIMARY KEY,
    account_id  BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at  TIMESTAMPTZ NOT NULL,
    used_at     TIMESTAMPTZ
);
CREATE INDEX password_resets_account_idx ON password_resets (account_id);

-- Audit trail of professionals and administrators opening other people's data.
-- Append-only: the application role never updates or deletes rows (enforced by trigger).
CREATE TABLE audit_log (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    actor_id    BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    action      TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    subject_id  BIGINT,
    detail      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC);
CREATE INDEX audit_log_subject_idx ON audit_log (subject_type, subject_id);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Deleting an actor's account nulls actor_id via the foreign key; allow only that.
    IF TG_OP = 'UPDATE' AND NEW.actor_id IS NULL AND OLD.actor_id IS NOT NULL
       AND NEW.at = OLD.at AND NEW.action = OLD.action AND NEW.subject_type = OLD.subject_type
       AND NEW.subject_id IS NOT DISTINCT FROM OLD.subject_id AND NEW.detail = OLD.detail THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
