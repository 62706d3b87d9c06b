ALTER TABLE accounts DROP COLUMN suspended_by, DROP COLUMN suspended_reason, DROP COLUMN suspended_at;
ALTER TABLE initiative_updates DROP COLUMN hidden_by_suspension;
ALTER TABLE signals DROP COLUMN hidden_by_suspension;
ALTER TABLE assets DROP COLUMN hidden_by_suspension;
ALTER TABLE initiatives DROP COLUMN hidden_by_suspension;
ALTER TABLE initiative_updates DROP COLUMN hidden_by, DROP COLUMN hidden_reason, DROP COLUMN hidden_at;
ALTER TABLE signals DROP COLUMN hidden_by, DROP COLUMN hidden_reason, DROP COLUMN hidden_at;
DROP TABLE reports;
