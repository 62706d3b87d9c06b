package postgres_test

import (
	"context"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/buurtkracht/buurtkracht/internal/demo"
	"github.com/buurtkracht/buurtkracht/internal/postgres"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
	"github.com/buurtkracht/buurtkracht/migrations"
)

var migrationName = regexp.MustCompile(`^([0-9]{6})_([a-z0-9_]+)\.(up|down)\.sql$`)

// TestMigrationFiles checks the shape of migrations/: every file is named
// NNNNNN_name.up.sql or .down.sql, every up has a non-empty down (and the
// other way round), and no number is used twice.
func TestMigrationFiles(t *testing.T) {
	t.Parallel()
	entries, err := migrations.FS.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	type pair struct {
		name     string
		up, down bool
	}
	byNumber := map[string]*pair{}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		m := migrationName.FindStringSubmatch(e.Name())
		if m == nil {
			t.Errorf("%s: name is not NNNNNN_name.up.sql or NNNNNN_name.down.sql", e.Name())
			continue
		}
		num, name, dir := m[1], m[2], m[3]
		p := byNumber[num]
		if p == nil {
			p = &pair{name: name}
			byNumber[num] = p
		} else if p.name != name {
			t.Errorf("migration number %s is used twice: %s and %s", num, p.name, name)
		}
		b, err := migrations.FS.ReadFile(e.Name())
		if err != nil {
			t.Fatal(err)
		}
		if strings.TrimSpace(stripSQLComments(string(b))) == "" {
			t.Errorf("%s has no statements", e.Name())
		}
		if dir == "up" {
			p.up = true
		} else {
			p.down = true
		}
	}
	if len(byNumber) == 0 {
		t.Fatal("no migrations embedded")
	}
	for num, p := range byNumber {
		if !p.up {
			t.Errorf("%s_%s has a .down.sql but no .up.sql", num, p.name)
		}
		if !p.down {
			t.Errorf("%s_%s has an .up.sql but no .down.sql", num, p.name)
		}
	}
}

// stripSQLComments drops "--" line comments, enough to see whether a file
// holds any statement at all.
func stripSQLComments(s string) string {
	var b strings.Builder
	for _, line := range strings.Split(s, "\n") {
		if i := strings.Index(line, "--"); i >= 0 {
			line = line[:i]
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return b.String()
}

// TestMigrationsDownWithData migrates up, loads the demo data so that the
// tables hold rows, then reverts ONE migration at a time to zero (each down
// must work on a database with data in it), migrates up again and loads the
// demo data once more.
func TestMigrationsDownWithData(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := testkit.NewEmptyDB(t)
	m, err := postgres.NewMigrator(url)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if err := m.Up(); err != nil {
		t.Fatalf("up: %v", err)
	}
	top, _, err := m.Version()
	if err != nil {
		t.Fatal(err)
	}

	pool, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	cfg := testkit.TestConfig()
	cfg.Env = "development"
	seed := func(when string) {
		t.Helper()
		if err := demo.Seed(ctx, pool, cfg, io.Discard); err != nil {
			t.Fatalf("demo seed %s: %v", when, err)
		}
	}
	seed("after up")
	seeded := tableCounts(t, pool)
	// Rows the demo does not make: a session, a rate limit count, a password reset, an audit
	// entry, an API token, an offer of help, a report, a notification and its bookkeeping,
	// a recognition, a follower and a raiser's reply on a signal.
	for _, q := range []string{
		`INSERT INTO sessions (token, data, expiry) VALUES ('migratietest', '\x00', now() + interval '1 hour')`,
		// A second factor with a recovery code, and what "Mijn sessies" shows of the session above.
		`INSERT INTO mfa_totp (account_id, secret_sealed, last_step) SELECT min(id), '\x00', 1 FROM accounts`,
		`INSERT INTO mfa_recovery_codes (account_id, code_hash) SELECT min(id), sha256('migratietest') FROM accounts`,
		// A passkey: the account's random user handle and one credential.
		`INSERT INTO passkey_handles (account_id, handle) SELECT min(id), sha256('migratietest') FROM accounts`,
		`INSERT INTO passkeys (account_id, name, credential_id, public_key, transports)
			SELECT min(id), 'Laptop', '\x01', '\x02', '{internal}' FROM accounts`,
		`INSERT INTO session_meta (token_hash, account_id, device, place)
			SELECT token_hash, (SELECT min(id) FROM accounts), 'Firefox op Linux', '192.0.2.x' FROM sessions WHERE token = 'migratietest'`,
		`INSERT INTO rate_limits (key, count, expires_at) VALUES (sha256('migratietest'), 1, now() + interval '1 hour')`,
		`INSERT INTO password_resets (token_hash, account_id, expires_at)
			SELECT '\x01', min(id), now() + interval '1 hour' FROM accounts`,
		`INSERT INTO audit_log (actor_id, action, subject_type, subject_id)
			SELECT min(id), 'migratietest', 'account', min(id) FROM accounts`,
		`INSERT INTO api_tokens (account_id, name, token_hash)
			SELECT min(id), 'migratietest', sha256('migratietest') FROM accounts`,
		`INSERT INTO initiative_offers (initiative_id, account_id, need, message)
			SELECT (SELECT min(id) FROM initiatives), min(id), 'kennis', 'Ik help mee.' FROM accounts`,
		`INSERT INTO initiative_reports (initiative_id, reporter_id, reason)
			SELECT (SELECT min(id) FROM initiatives), min(id), 'Test' FROM accounts`,
		`INSERT INTO notifications (recipient_id, category, link, body) SELECT min(id), 'aanbod', '/initiatieven', 'Test' FROM accounts`,
		`INSERT INTO notification_preferences (account_id, category, mode) SELECT min(id), 'signalen', 'wekelijks' FROM accounts`,
		`INSERT INTO mail_deliveries (key) VALUES ('n-migratietest')`,
		`INSERT INTO signal_recognitions (signal_id, account_id) SELECT (SELECT min(id) FROM signals), max(id) FROM accounts`,
		`INSERT INTO signal_followers (signal_id, account_id) SELECT (SELECT min(id) FROM signals), max(id) FROM accounts`,
		`INSERT INTO signal_responses (signal_id, author_id, author_role, body, idempotency_key)
			SELECT id, raised_by, 'raiser', 'Het is nog steeds zo.', gen_random_uuid() FROM signals WHERE raised_by IS NOT NULL ORDER BY id LIMIT 1`,
		`INSERT INTO signing_keys (purpose, key) VALUES ('migratietest', sha256('migratietest'))`,
		// A change of e-mail address waiting for its confirmation.
		`INSERT INTO email_changes (account_id, old_email, new_email, expires_at)
			SELECT id, email, 'nieuw-' || email, now() + interval '1 day' FROM accounts ORDER BY id LIMIT 1`,
		// A conversation about an initiative with its participants, a message, a block and a report.
		`INSERT INTO conversations (subject_kind, initiative_id, subject_title, party_id)
			SELECT 'initiatief', (SELECT min(id) FROM initiatives), 'Migratietest', max(id) FROM accounts`,
		`INSERT INTO conversation_participants (conversation_id, account_id)
			SELECT (SELECT min(id) FROM conversations WHERE subject_title = 'Migratietest'), id FROM accounts WHERE id IN ((SELECT min(id) FROM accounts), (SELECT max(id) FROM accounts))`,
		`INSERT INTO messages (conversation_id, sender_id, body, idempotency_key)
			SELECT (SELECT min(id) FROM conversations WHERE subject_title = 'Migratietest'), max(id), 'Hallo!', gen_random_uuid() FROM accounts`,
		`INSERT INTO account_blocks (blocker_id, blocked_id) SELECT min(id), max(id) FROM accounts`,
		// A conversation with a community worker of a neighbourhood (000090).
		`INSERT INTO conversations (subject_kind, worker_id, subject_title, party_id)
			SELECT 'opbouwwerker', min(id), 'Migratietest', max(id) FROM accounts`,
		`INSERT INTO message_reports (message_id, reporter_id, reason) SELECT (SELECT min(id) FROM messages), min(id), 'Test' FROM accounts`,
		// An organisation's sign-on provider and its e-mail domain.
		`INSERT INTO sso_providers (organisation_id, display_name, issuer, client_id, client_secret)
			SELECT min(id), 'Migratietest', 'https://login.example.nl', 'buurtkracht', 'env:SSO_SECRET_MIGRATIETEST' FROM organisations`,
		`INSERT INTO sso_domains (domain, provider_id) SELECT 'migratietest.nl', min(id) FROM sso_providers`,
		// A report of a signal (moderation).
		`INSERT INTO reports (signal_id, reporter_id, reason) SELECT (SELECT min(id) FROM signals), max(id), 'Test' FROM accounts`,
		// A report of a help request between neighbours (the demo has requests, answers and their conversations).
		`INSERT INTO reports (help_request_id, reporter_id, reason) SELECT (SELECT min(id) FROM help_requests), max(id), 'Test' FROM accounts`,
		// A photo of an initiative with one stored width, and a report of it.
		`INSERT INTO photos (initiative_id, uploaded_by, alt_text, width, height, hash, idempotency_key)
			SELECT (SELECT min(id) FROM initiatives), min(id), 'Migratietest', 1, 1, '0123456789abcdef', gen_random_uuid() FROM accounts`,
		`INSERT INTO photo_variants (photo_id, width, height, content_type, data)
			SELECT max(id), 1, 1, 'image/png', '\x89504e47' FROM photos`,
		`INSERT INTO reports (photo_id, reporter_id, reason) SELECT (SELECT max(id) FROM photos), max(id), 'Test' FROM accounts`,
		// An event with its neighbourhood, a sign-up and a report (the agenda).
		`INSERT INTO events (title, theme, starts_at, ends_at, place_text, visibility, capacity, created_by)
			SELECT 'Migratietest', 'ontmoeting', now() + interval '1 day', now() + interval '26 hours', 'Het plein', 'public', 10, min(id) FROM accounts`,
		`INSERT INTO event_neighbourhoods (event_id, neighbourhood_id) SELECT (SELECT max(id) FROM events), min(id) FROM neighbourhoods`,
		`INSERT INTO event_signups (event_id, account_id, waiting) SELECT (SELECT max(id) FROM events), max(id), false FROM accounts`,
		`INSERT INTO reports (event_id, reporter_id, reason) SELECT (SELECT max(id) FROM events), max(id), 'Test' FROM accounts`,
		// An open invitation to become co-owner.
		`INSERT INTO initiative_invitations (initiative_id, email_hash, email_hint, invited_by, expires_at)
			SELECT (SELECT min(id) FROM initiatives), sha256('migratietest@example.nl'), 'm…@example.nl', min(id), now() + interval '30 days' FROM accounts`,
		// Residents' advice, a payout and a light account on an application
		// (issue 12; the demo has them too, these hold without it).
		`INSERT INTO funding_advice (request_id, account_id, support, comment)
			SELECT (SELECT min(id) FROM funding_requests), max(id), true, 'Migratietest' FROM accounts ON CONFLICT DO NOTHING`,
		`INSERT INTO funding_payouts (request_id, amount_cents, paid_on, recorded_by, idempotency_key)
			SELECT (SELECT min(id) FROM funding_requests), 100, current_date, min(id), gen_random_uuid() FROM accounts`,
		`INSERT INTO funding_accounts (request_id, what_happened, who_took_part, what_brought, spent_on, submitted_by)
			SELECT (SELECT min(id) FROM funding_requests), 'Migratietest', 'Buren', 'Ontmoeting', 'Koffie', min(id) FROM accounts
			ON CONFLICT DO NOTHING`,
	} {
		if _, err := pool.Exec(ctx, q); err != nil {
			t.Fatalf("extra rows: %v\n%s", err, q)
		}
	}

	// The demo data must reach every table, or a down could pass only
	// because its table was empty.
	if empty := emptyTables(t, pool); len(empty) > 0 {
		t.Fatalf("tables without rows (add them to the demo seed or to this test): %s", strings.Join(empty, ", "))
	}

	versions := migrationVersions(t)
	for i := len(versions) - 1; i >= 0; i-- {
		v, _, err := m.Version()
		if err != nil {
			t.Fatal(err)
		}
		if v != versions[i] {
			t.Fatalf("at version %d, want %d", v, versions[i])
		}
		if err := m.Down(1); err != nil {
			t.Fatalf("down from %d with data: %v", v, err)
		}
		after, dirty, err := m.Version()
		if err != nil || dirty {
			t.Fatalf("after down from %d: version %d dirty %v err %v", v, after, dirty, err)
		}
	}
	if v, _, _ := m.Version(); v != 0 {
		t.Fatalf("after stepping down: version %d, want 0", v)
	}
	// Down(n) steps our migrations only; River's tables go with Down(0).
	if err := postgres.RiverDown(ctx, url); err != nil {
		t.Fatalf("river down: %v", err)
	}
	var tables int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM information_schema.tables
		WHERE table_schema = 'public' AND table_name <> 'schema_migrations'`).Scan(&tables); err != nil {
		t.Fatal(err)
	}
	if tables != 0 {
		t.Fatalf("after stepping down to zero, %d tables remain", tables)
	}

	if err := m.Up(); err != nil {
		t.Fatalf("up again: %v", err)
	}
	if v, _, _ := m.Version(); v != top {
		t.Fatalf("version after up again = %d, want %d", v, top)
	}
	// Types and functions the downs dropped are back; the pool's cached
	// statement plans refer to the old ones.
	pool.Reset()
	seed("after down and up again")
	// The schema the downs and ups rebuilt takes the same demo data.
	again := tableCounts(t, pool)
	for table, n := range seeded {
		if again[table] != n {
			t.Errorf("table %s: %d rows after seeding again, %d the first time", table, again[table], n)
		}
	}
	for table := range again {
		if _, ok := seeded[table]; !ok {
			t.Errorf("table %s exists only after down and up again", table)
		}
	}
}

// tableCounts returns the number of rows of every public table.
func tableCounts(t *testing.T, pool *pgxpool.Pool) map[string]int {
	t.Helper()
	ctx := context.Background()
	counts := map[string]int{}
	for _, n := range publicTables(t, pool) {
		var c int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM `+pgx.Identifier{n}.Sanitize()).Scan(&c); err != nil {
			t.Fatal(err)
		}
		counts[n] = c
	}
	return counts
}

// migrationVersions lists the embedded migration numbers in order.
func migrationVersions(t *testing.T) []uint {
	t.Helper()
	entries, err := migrations.FS.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var vs []uint
	for _, e := range entries {
		m := migrationName.FindStringSubmatch(e.Name())
		if m == nil || m[3] != "up" {
			continue
		}
		n, err := strconv.ParseUint(m[1], 10, 32)
		if err != nil {
			t.Fatal(err)
		}
		vs = append(vs, uint(n))
	}
	sort.Slice(vs, func(i, j int) bool { return vs[i] < vs[j] })
	return vs
}

// emptyTables lists the public tables without rows.
func emptyTables(t *testing.T, pool *pgxpool.Pool) []string {
	t.Helper()
	var empty []string
	for table, n := range tableCounts(t, pool) {
		if n == 0 {
			empty = append(empty, table)
		}
	}
	sort.Strings(empty)
	return empty
}

// publicTables lists the tables of the public schema but golang-migrate's own
// and River's (River's migrator owns those; TestMigrationsUpDownUp covers them).
func publicTables(t *testing.T, pool *pgxpool.Pool) []string {
	t.Helper()
	rows, err := pool.Query(context.Background(), `SELECT table_name FROM information_schema.tables
		WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations'
		AND table_name NOT LIKE 'river\_%'
		ORDER BY table_name`)
	if err != nil {
		t.Fatal(err)
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return names
}
