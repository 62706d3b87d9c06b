DROP TRIGGER IF EXISTS conversations_delete_empty ON conversation_participants;
DROP FUNCTION IF EXISTS conversations_delete_empty();
DROP TABLE IF EXISTS message_reports;
DROP TABLE IF EXISTS account_blocks;
DROP TABLE IF EXISTS messages;
DROP TABLE IF EXISTS conversation_participants;
DROP TABLE IF EXISTS conversations;
