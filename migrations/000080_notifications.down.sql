DROP TABLE signing_keys;
DROP TABLE mail_deliveries;
DROP TABLE notification_preferences;
DROP TABLE notifications;
ALTER TABLE accounts DROP COLUMN email_confirmed_at;
