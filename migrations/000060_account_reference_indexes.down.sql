DROP INDEX IF EXISTS assets_hidden_by_idx;
DROP INDEX IF EXISTS funding_requests_decided_by_idx;
DROP INDEX IF EXISTS initiative_reports_reporter_idx;
DROP INDEX IF EXISTS initiative_status_history_changed_by_idx;
DROP INDEX IF EXISTS initiative_updates_author_idx;
DROP INDEX IF EXISTS initiative_owners_added_by_idx;
DROP INDEX IF EXISTS initiatives_hidden_by_idx;
DROP INDEX IF EXISTS audit_log_actor_idx;
