DROP TRIGGER IF EXISTS assets_delete_owner_talents ON accounts;
DROP FUNCTION IF EXISTS assets_delete_owner_talents();
DROP TABLE IF EXISTS assets;
