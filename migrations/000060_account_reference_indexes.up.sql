-- Indexes on the columns that refer to an account and had none, so that
-- deleting an account (the ON DELETE SET NULL of each foreign key) and
-- exporting a person's data do not scan whole tables. Partial: most rows
-- hold NULL or are looked up only per account.
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id) WHERE actor_id IS NOT NULL;
CREATE INDEX initiatives_hidden_by_idx ON initiatives (hidden_by) WHERE hidden_by IS NOT NULL;
CREATE INDEX initiative_owners_added_by_idx ON initiative_owners (added_by) WHERE added_by IS NOT NULL;
CREATE INDEX initiative_updates_author_idx ON initiative_updates (author_id) WHERE author_id IS NOT NULL;
CREATE INDEX initiative_status_history_changed_by_idx ON initiative_status_history (changed_by) WHERE changed_by IS NOT NULL;
CREATE INDEX initiative_reports_reporter_idx ON initiative_reports (reporter_id) WHERE reporter_id IS NOT NULL;
CREATE INDEX funding_requests_decided_by_idx ON funding_requests (decided_by) WHERE decided_by IS NOT NULL;
CREATE INDEX assets_hidden_by_idx ON assets (hidden_by) WHERE hidden_by IS NOT NULL;
