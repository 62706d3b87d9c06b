DROP FUNCTION nearby_neighbourhoods(BIGINT);
DELETE FROM reports WHERE num_nonnulls(signal_id, update_id, asset_id) <> 1;
ALTER TABLE reports
    DROP CONSTRAINT reports_one_subject,
    DROP COLUMN event_id,
    DROP COLUMN help_request_id,
    DROP COLUMN photo_id,
    ADD CONSTRAINT reports_one_subject CHECK (num_nonnulls(signal_id, update_id, asset_id) = 1);
