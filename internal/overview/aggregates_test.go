package overview_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/buurtkracht/buurtkracht/internal/initiative"
	"github.com/buurtkracht/buurtkracht/internal/signal"
	"github.com/buurtkracht/buurtkracht/internal/strategy"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// direct holds, per aggregate table, the expected non-zero rows computed
// straight from the source tables, as sorted strings.
var direct = map[string]string{
	"neighbourhood_month_contacts": `
		SELECT concat_ws('|', n, m, strategy, cnt, people, e, c) FROM (
		SELECT neighbourhood_id AS n, date_trunc('month', occurred_at AT TIME ZONE 'Europe/Amsterdam')::date AS m,
		       strategy, count(*) AS cnt, sum(people_count) AS people, count(*) FILTER (WHERE energy <> '') AS e, count(*) FILTER (WHERE concern <> '') AS c
		  FROM contacts GROUP BY 1, 2, 3) x`,
	"neighbourhood_month_contact_themes": `
		SELECT concat_ws('|', n, m, theme, cnt, e, c) FROM (
		SELECT c.neighbourhood_id AS n, date_trunc('month', c.occurred_at AT TIME ZONE 'Europe/Amsterdam')::date AS m,
		       t.theme, count(*) AS cnt, count(*) FILTER (WHERE c.energy <> '') AS e, count(*) FILTER (WHERE c.concern <> '') AS c
		  FROM contacts c, LATERAL (SELECT DISTINCT x AS theme FROM unnest(c.themes) x) t GROUP BY 1, 2, 3) x`,
	"neighbourhood_month_activities": `
		SELECT concat_ws('|', n, m, strategy, cnt, p) FROM (
		SELECT neighbourhood_id AS n, date_trunc('month', date)::date AS m, strategy, count(*) AS cnt, sum(participant_count) AS p
		  FROM activities GROUP BY 1, 2, 3) x`,
	"neighbourhood_month_signals": `
		SELECT concat_ws('|', n, m, theme, open, cnt) FROM (
		SELECT neighbourhood_id AS n, date_trunc('month', created_at AT TIME ZONE 'Europe/Amsterdam')::date AS m, theme,
		       status IN ('gesignaleerd', 'geagendeerd', 'in_behandeling') AS open, count(*) AS cnt
		  FROM signals GROUP BY 1, 2, 3, 4) x`,
	"neighbourhood_month_initiatives": `
		SELECT concat_ws('|', n, m, status, cnt, members) FROM (
		SELECT inb.neighbourhood_id AS n, date_trunc('month', i.created_at AT TIME ZONE 'Europe/Amsterdam')::date AS m, i.status,
		       count(*) AS cnt, sum((SELECT count(*) FROM initiative_owners o WHERE o.initiative_id = i.id)
		                   + (SELECT count(*) FROM initiative_supporters s WHERE s.initiative_id = i.id)) AS members
		  FROM initiatives i JOIN initiative_neighbourhoods inb ON inb.initiative_id = i.id
		 WHERE i.hidden_at IS NULL GROUP BY 1, 2, 3) x`,
}

// stored reads an aggregate table's non-zero rows in the same format.
var stored = map[string]string{
	// The contact tables are striped over slots (migration 96): summed here
	// as every reader sums them.
	"neighbourhood_month_contacts": `
		SELECT concat_ws('|', neighbourhood_id, month, strategy, sum(contacts), sum(people), sum(with_energy), sum(with_concern))
		  FROM neighbourhood_month_contacts GROUP BY neighbourhood_id, month, strategy
		HAVING sum(contacts) <> 0 OR sum(people) <> 0 OR sum(with_energy) <> 0 OR sum(with_concern) <> 0`,
	"neighbourhood_month_contact_themes": `
		SELECT concat_ws('|', neighbourhood_id, month, theme, sum(contacts), sum(with_energy), sum(with_concern))
		  FROM neighbourhood_month_contact_themes GROUP BY neighbourhood_id, month, theme
		HAVING sum(contacts) <> 0 OR sum(with_energy) <> 0 OR sum(with_concern) <> 0`,
	"neighbourhood_month_activities": `
		SELECT concat_ws('|', neighbourhood_id, month, strategy, activities, participants)
		  FROM neighbourhood_month_activities WHERE activities <> 0 OR participants <> 0`,
	"neighbourhood_month_signals": `
		SELECT concat_ws('|', neighbourhood_id, month, theme, is_open, signals)
		  FROM neighbourhood_month_signals WHERE signals <> 0`,
	"neighbourhood_month_initiatives": `
		SELECT concat_ws('|', neighbourhood_id, month, status, initiatives, members)
		  FROM neighbourhood_month_initiatives WHERE initiatives <> 0 OR members <> 0`,
}

func rowStrings(t *testing.T, db *pgxpool.Pool, sql string) []string {
	t.Helper()
	rows, err := db.Query(context.Background(), sql)
	if err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

func assertAggregates(t *testing.T, db *pgxpool.Pool, when string) {
	t.Helper()
	for table, q := range direct {
		want, got := rowStrings(t, db, q), rowStrings(t, db, stored[table])
		if !slices.Equal(want, got) {
			t.Errorf("%s: %s differs from a direct count\nwant %v\ngot  %v", when, table, want, got)
		}
	}
}

// TestAggregatesFollowEveryWrite runs a seeded random mix of inserts,
// updates that move rows between months, neighbourhoods, strategies,
// statuses and themes, and deletes (also cascades from an account and an
// initiative), and compares every aggregate with a direct count after
// each phase; then overview_rebuild must produce the same rows.
func TestAggregatesFollowEveryWrite(t *testing.T) {
	t.Parallel()
	db := testkit.NewPool(t)
	ctx := context.Background()
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := db.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	geo := testkit.NewGeo(t, db)
	gm := geo.Municipality("GM0344", "Utrecht")
	geo.District("WK034401", "West")
	for i := 1; i <= 4; i++ {
		geo.Neighbourhood(fmt.Sprintf("BU034401%02d", i), fmt.Sprintf("Buurt %d", i))
	}
	exec(`INSERT INTO accounts (email, display_name, password_hash, roles)
	      SELECT 'p' || g || '@example.nl', 'P' || g, 'x', '{resident,worker}' FROM generate_series(1, 6) g`)
	nbs := ids(t, db, `SELECT id FROM neighbourhoods ORDER BY id`)
	accs := ids(t, db, `SELECT id FROM accounts ORDER BY id`)

	rng := rand.New(rand.NewPCG(5, 5))
	pick := func(xs []int64) int64 { return xs[rng.IntN(len(xs))] }
	strategies := []strategy.Strategy{strategy.Bonding, strategy.Bridging, strategy.Linking}
	themes := []string{"ontmoeting", "wonen", "veiligheid", "zorg"}
	statuses := initiative.Statuses
	sigStatuses := signal.Statuses
	base := time.Date(2025, 1, 15, 12, 0, 0, 0, time.UTC)
	when := func() time.Time { return base.AddDate(0, rng.IntN(6), rng.IntN(20)) }
	someThemes := func() []string {
		out := []string{}
		for _, th := range themes {
			if rng.IntN(3) == 0 {
				out = append(out, th)
			}
		}
		return out
	}
	text := func() string {
		if rng.IntN(2) == 0 {
			return ""
		}
		return "iets"
	}

	// Phase 1: inserts.
	for i := range 60 {
		exec(`INSERT INTO contacts (worker_id, occurred_at, neighbourhood_id, place_type, people_count, themes, strategy, energy, concern, client_id)
		      VALUES ($1, $2, $3, 'straat', $4, $5, $6, $7, $8, gen_random_uuid())`,
			pick(accs), when(), pick(nbs), 1+rng.IntN(6), someThemes(), strategies[rng.IntN(3)], text(), text())
		exec(`INSERT INTO activities (title, date, neighbourhood_id, strategy, participant_count, created_by, idempotency_key)
		      VALUES ('A', $1, $2, $3, $4, $5, gen_random_uuid())`, when(), pick(nbs), strategies[rng.IntN(3)], rng.IntN(30), pick(accs))
		exec(`INSERT INTO signals (neighbourhood_id, title, theme, addressed_to, raised_by, raised_as, status, idempotency_key, created_at)
		      VALUES ($1, 'S', $2, 'gemeente', $3, 'resident', $4, gen_random_uuid(), $5)`,
			pick(nbs), themes[rng.IntN(4)], pick(accs), sigStatuses[rng.IntN(5)], when())
		if i%3 == 0 {
			var ini int64
			if err := db.QueryRow(ctx, `INSERT INTO initiatives (title, summary, municipality_id, form, status, contact_preference, visibility, created_by, created_at)
			      VALUES ('I', 'S', $1, 'informal', $2, 'platform', 'public', $3, $4) RETURNING id`,
				gm, statuses[rng.IntN(5)], pick(accs), when()).Scan(&ini); err != nil {
				t.Fatal(err)
			}
			exec(`INSERT INTO initiative_owners (initiative_id, account_id) VALUES ($1, $2)`, ini, pick(accs))
			exec(`INSERT INTO initiative_neighbourhoods (initiative_id, neighbourhood_id)
			      SELECT $1, n FROM unnest($2::bigint[]) n ON CONFLICT DO NOTHING`, ini, []int64{pick(nbs), pick(nbs)})
			exec(`INSERT INTO initiative_supporters (initiative_id, account_id)
			      SELECT $1, a FROM unnest($2::bigint[]) a ON CONFLICT DO NOTHING`, ini, []int64{pick(accs), pick(accs), pick(accs)})
		}
	}
	assertAggregates(t, db, "after inserts")

	// Phase 2: updates that move rows between keys, and some that do not.
	for range 40 {
		exec(`UPDATE contacts SET occurred_at = $2, neighbourhood_id = $3, strategy = $4, people_count = $5, themes = $6, energy = $7, concern = $8
		      WHERE id = (SELECT id FROM contacts ORDER BY id OFFSET $1 LIMIT 1)`,
			rng.IntN(60), when(), pick(nbs), strategies[rng.IntN(3)], 1+rng.IntN(6), someThemes(), text(), text())
		exec(`UPDATE contacts SET note = 'n' WHERE id = (SELECT id FROM contacts ORDER BY id OFFSET $1 LIMIT 1)`, rng.IntN(60))
		exec(`UPDATE activities SET date = $2, neighbourhood_id = $3, strategy = $4, participant_count = $5
		      WHERE id = (SELECT id FROM activities ORDER BY id OFFSET $1 LIMIT 1)`,
			rng.IntN(60), when(), pick(nbs), strategies[rng.IntN(3)], rng.IntN(30))
		exec(`UPDATE signals SET status = $2, theme = $3, neighbourhood_id = $4, first_response_at = now()
		      WHERE id = (SELECT id FROM signals ORDER BY id OFFSET $1 LIMIT 1)`,
			rng.IntN(60), sigStatuses[rng.IntN(5)], themes[rng.IntN(4)], pick(nbs))
		exec(`UPDATE initiatives SET status = $2, hidden_at = CASE WHEN $3 THEN now() END,
		             hidden_reason = CASE WHEN $3 THEN 'r' ELSE '' END
		      WHERE id = (SELECT id FROM initiatives ORDER BY id OFFSET $1 LIMIT 1)`,
			rng.IntN(20), statuses[rng.IntN(5)], rng.IntN(4) == 0)
		// The initiative edit form replaces the neighbourhoods.
		var ini int64
		if err := db.QueryRow(ctx, `SELECT id FROM initiatives ORDER BY id OFFSET $1 LIMIT 1`, rng.IntN(20)).Scan(&ini); err != nil {
			t.Fatal(err)
		}
		exec(`DELETE FROM initiative_neighbourhoods WHERE initiative_id = $1`, ini)
		exec(`INSERT INTO initiative_neighbourhoods (initiative_id, neighbourhood_id) VALUES ($1, $2)`, ini, pick(nbs))
		exec(`DELETE FROM initiative_supporters WHERE initiative_id = $1 AND account_id = $2`, ini, pick(accs))
	}
	assertAggregates(t, db, "after updates")

	// Phase 3: deletes, directly and by cascade.
	exec(`DELETE FROM contacts WHERE id % 3 = 0`)
	exec(`DELETE FROM activities WHERE id % 4 = 0`)
	exec(`DELETE FROM signals WHERE id % 5 = 0`)
	exec(`DELETE FROM initiatives WHERE id IN (SELECT id FROM initiatives ORDER BY id LIMIT 5)`)
	exec(`DELETE FROM accounts WHERE id = $1`, accs[0]) // owners and supporters cascade
	assertAggregates(t, db, "after deletes")

	// A write that fails rolls its aggregate change back with it.
	tx, err := db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM contacts`); err != nil {
		t.Fatal(err)
	}
	_ = tx.Rollback(ctx)
	assertAggregates(t, db, "after a rollback")

	// The bulk loader's rebuild yields the same rows.
	exec(`SELECT overview_rebuild()`)
	assertAggregates(t, db, "after overview_rebuild")
	var n int
	if err := db.QueryRow(ctx, `SELECT count(*) FROM neighbourhood_month_contacts`).Scan(&n); err != nil || n == 0 {
		t.Fatalf("rebuild left %d contact rows (%v)", n, err)
	}
}

func ids(t *testing.T, db *pgxpool.Pool, sql string) []int64 {
	t.Helper()
	rows, err := db.Query(context.Background(), sql)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		out = append(out, id)
	}
	if len(out) == 0 {
		t.Fatalf("no rows: %s", sql)
	}
	return out
}

// TestConcurrentContactsDoNotWaitForEachOther: two workers logging a
// contact in the same neighbourhood, month and strategy at the same time,
// on connections whose stripes differ (migration 96), do not wait for each
// other's commit. With one aggregate row per month the second insert waits
// for the first transaction's row lock and runs into lock_timeout.
func TestConcurrentContactsDoNotWaitForEachOther(t *testing.T) {
	t.Parallel()
	db := testkit.NewPool(t)
	ctx := context.Background()
	geo := testkit.NewGeo(t, db)
	geo.Municipality("GM0344", "Utrecht")
	geo.District("WK034401", "West")
	nb := geo.Neighbourhood("BU03440101", "Buurt 1")
	var worker int64
	if err := db.QueryRow(ctx, `INSERT INTO accounts (email, display_name, password_hash, roles)
	      VALUES ('w@example.nl', 'W', 'x', '{worker}') RETURNING id`).Scan(&worker); err != nil {
		t.Fatal(err)
	}
	// Two connections in different stripes (the stripe is the backend's
	// process id modulo 8); the pool holds at most a few.
	var txs []pgx.Tx
	seen := map[int]bool{}
	for i := 0; len(txs) < 2 && i < int(db.Config().MaxConns); i++ {
		tx, err := db.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = tx.Rollback(ctx) }()
		var pid int
		if err := tx.QueryRow(ctx, `SELECT pg_backend_pid()`).Scan(&pid); err != nil {
			t.Fatal(err)
		}
		if !seen[pid%8] {
			seen[pid%8] = true
			txs = append(txs, tx)
		}
	}
	if len(txs) < 2 {
		t.Fatalf("all %d connections of the pool fell in one stripe", db.Config().MaxConns)
	}
	insert := func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO contacts (worker_id, occurred_at, neighbourhood_id, place_type, people_count, themes, strategy, client_id)
		      VALUES ($1, '2026-03-10 12:00+01', $2, 'straat', 2, '{wonen}', 'bonding', gen_random_uuid())`, worker, nb)
		return err
	}
	if err := insert(txs[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := txs[1].Exec(ctx, `SET LOCAL lock_timeout = '2s'`); err != nil {
		t.Fatal(err)
	}
	if err := insert(txs[1]); err != nil {
		t.Fatalf("the second contact waited for the first transaction: %v", err)
	}
	for _, tx := range txs {
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	}
	var contacts, people int
	if err := db.QueryRow(ctx, `SELECT sum(contacts), sum(people) FROM neighbourhood_month_contacts WHERE neighbourhood_id = $1`, nb).Scan(&contacts, &people); err != nil {
		t.Fatal(err)
	}
	if contacts != 2 || people != 4 {
		t.Errorf("aggregate after two contacts: %d contacts, %d people; want 2 and 4", contacts, people)
	}
}
