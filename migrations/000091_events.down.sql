ALTER TABLE reports DROP CONSTRAINT reports_event_id_fkey;
DROP FUNCTION event_fill(BIGINT);
DROP TABLE event_signups;
DROP TABLE event_neighbourhoods;
DROP TABLE events;
