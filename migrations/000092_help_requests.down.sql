DELETE FROM reports WHERE help_request_id IS NOT NULL;
ALTER TABLE reports DROP CONSTRAINT reports_help_request_id_fkey;

DELETE FROM conversations WHERE subject_kind = 'burenhulp';
DROP INDEX conversations_help_idx;
DROP INDEX conversations_help_party_key;
ALTER TABLE conversations
    DROP COLUMN help_request_id,
    DROP CONSTRAINT conversations_subject_kind_check,
    ADD CONSTRAINT conversations_subject_kind_check
        CHECK (subject_kind IN ('initiatief', 'aanbod', 'hulpbron', 'opbouwwerker'));

DROP TABLE help_responses;
DROP TABLE help_requests;
