-- "Who can help": the neighbourhood's assets (ABCD asset map). Places to meet,
-- networks and associations, local businesses and residents' talents.

CREATE TABLE assets (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind             TEXT NOT NULL CHECK (kind IN ('plek', 'netwerk', 'bedrijf', 'talent')),
    -- Subtype of a meeting place; empty for the other kinds.
    place_type       TEXT NOT NULL DEFAULT '' CHECK (
        (kind = 'plek' AND place_type IN ('buurthuis', 'bibliotheek', 'cafe', 'school', 'park', 'sportveld', 'gebedshuis', 'anders'))
        OR (kind <> 'plek' AND place_type = '')),
    -- The name of a place, network or business; for a talent the "ik kan…" text.
    name             TEXT NOT NULL CHECK (name <> '' AND length(name) <= 150),
    description      TEXT NOT NULL DEFAULT '' CHECK (length(description) <= 2000),
    neighbourhood_id BIGINT NOT NULL REFERENCES neighbourhoods (id) ON DELETE CASCADE,
    needs            TEXT[] NOT NULL CHECK (
        cardinality(needs) >= 1 AND needs <@ ARRAY['ruimte', 'geld', 'vrijwilligers', 'kennis', 'materiaal']::TEXT[]),
    -- Public contact details of an organisation; never for a resident's talent.
    website          TEXT NOT NULL DEFAULT '' CHECK (length(website) <= 200),
    phone            TEXT NOT NULL DEFAULT '' CHECK (length(phone) <= 30),
    address          TEXT NOT NULL DEFAULT '' CHECK (length(address) <= 200),
    -- public: everyone; members: logged-in users only. Talents are always members-only.
    visibility       TEXT NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'members')),
    created_by       BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    -- Idempotency token of the create form: a resubmitted form adds nothing.
    create_token     TEXT NOT NULL CHECK (length(create_token) BETWEEN 16 AND 64),
    hidden           BOOLEAN NOT NULL DEFAULT false,
    hidden_reason    TEXT NOT NULL DEFAULT '' CHECK (length(hidden_reason) <= 300),
    hidden_by        BIGINT REFERENCES accounts (id) ON DELETE SET NULL,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT assets_talent_private CHECK (kind <> 'talent' OR (
        visibility = 'members' AND created_by IS NOT NULL AND website = '' AND phone = '' AND address = '')),
    CONSTRAINT assets_create_token_key UNIQUE (create_token)
);
CREATE INDEX assets_neighbourhood_kind_idx ON assets (neighbourhood_id, kind);
CREATE INDEX assets_kind_idx ON assets (kind);
CREATE INDEX assets_needs_idx ON assets USING GIN (needs);
CREATE INDEX assets_created_by_idx ON assets (created_by);

-- A talent is personal data: it goes with its owner's account. Places,
-- networks and businesses stay (created_by becomes NULL).
CREATE FUNCTION assets_delete_owner_talents() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM assets WHERE created_by = OLD.id AND kind = 'talent';
    RETURN OLD;
END;
$$;
CREATE TRIGGER assets_delete_owner_talents BEFORE DELETE ON accounts
    FOR EACH ROW EXECUTE FUNCTION assets_delete_owner_talents();
