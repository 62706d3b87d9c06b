DROP TABLE signal_followers;
DROP TABLE signal_recognitions;
-- Replies of raisers have no place in the older schema.
DELETE FROM signal_responses WHERE author_role = 'raiser';
ALTER TABLE signal_responses DROP CONSTRAINT signal_responses_raiser_keeps_status;
ALTER TABLE signal_responses DROP CONSTRAINT signal_responses_author_role_check;
ALTER TABLE signal_responses ADD CONSTRAINT signal_responses_author_role_check
    CHECK (author_role IN ('worker', 'officer'));
