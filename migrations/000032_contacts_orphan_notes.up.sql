-- When a worker's account is deleted, its contacts stay for the
-- neighbourhood figures (worker_id becomes NULL), but the private notes have
-- no reader left: erase them in the same statement.
CREATE FUNCTION contacts_erase_orphan_note() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.worker_id IS NULL AND OLD.worker_id IS NOT NULL AND NEW.note IS NOT NULL THEN
        NEW.note := NULL;
        NEW.note_erased_at := now();
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER contacts_erase_orphan_note BEFORE UPDATE OF worker_id ON contacts
    FOR EACH ROW EXECUTE FUNCTION contacts_erase_orphan_note();
