-- Back to one amount per request, granted or refused by the municipality:
-- the requests themselves were never moved, so dropping what 000095 added
-- restores them (an application to another fund than a default one stays
-- a request of its initiative; only its fund is forgotten).
DROP TABLE funding_accounts;
DROP TABLE funding_payouts;
DROP TABLE funding_advice;
DROP TABLE funding_request_lines;
-- A partial grant becomes a grant of what was asked: the old model has
-- no other amount.
ALTER TABLE funding_requests
    DROP CONSTRAINT funding_requests_granted,
    DROP CONSTRAINT funding_requests_granted_at_most_asked,
    DROP CONSTRAINT funding_requests_conditions,
    DROP COLUMN account_reminded_at,
    DROP COLUMN activity_on,
    DROP COLUMN conditions,
    DROP COLUMN granted_cents,
    DROP COLUMN impact,
    DROP COLUMN own_contribution_cents,
    DROP COLUMN fund_id;
DROP TABLE fund_areas;
DROP TABLE fund_themes;
DROP TABLE funds;
DROP TABLE funder_staff;
UPDATE organisations SET kind = 'overig' WHERE kind = 'fonds';
ALTER TABLE organisations DROP COLUMN funder_since,
    DROP CONSTRAINT organisations_kind_check,
    ADD CONSTRAINT organisations_kind_check
        CHECK (kind IN ('welzijn', 'woningcorporatie', 'vereniging', 'bibliotheek', 'school', 'gemeente', 'overig'));
