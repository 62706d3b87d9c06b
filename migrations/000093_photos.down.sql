ALTER TABLE reports DROP CONSTRAINT reports_photo_id_fkey;
DELETE FROM reports WHERE photo_id IS NOT NULL;
DROP TABLE photo_variants;
DROP TABLE photos;
