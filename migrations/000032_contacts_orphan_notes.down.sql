DROP TRIGGER IF EXISTS contacts_erase_orphan_note ON contacts;
DROP FUNCTION IF EXISTS contacts_erase_orphan_note();
