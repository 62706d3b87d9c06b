package demo_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/buurtkracht/buurtkracht/internal/account"
	"github.com/buurtkracht/buurtkracht/internal/demo"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// rowCounts counts the rows of every table in the public schema, so a
// second seed that adds anything anywhere (also in a feature's step) fails.
func rowCounts(t *testing.T, db *pgxpool.Pool) map[string]int64 {
	t.Helper()
	ctx := context.Background()
	rows, err := db.Query(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		tables = append(tables, n)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	counts := map[string]int64{}
	for _, tbl := range tables {
		var n int64
		if err := db.QueryRow(ctx, `SELECT count(*) FROM "`+tbl+`"`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		counts[tbl] = n
	}
	return counts
}

func TestSeedTwiceAddsNothing(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	ctx := context.Background()
	var out bytes.Buffer
	if err := demo.Seed(ctx, s.DB, s.Cfg, &out); err != nil {
		t.Fatalf("seed: %v\n%s", err, out.String())
	}
	first := rowCounts(t, s.DB)
	for table, want := range map[string]int64{"municipalities": 342, "districts": 46, "neighbourhoods": 196, "accounts": 4, "organisations": 1} {
		if first[table] < want {
			t.Errorf("%s: %d rows, want at least %d", table, first[table], want)
		}
	}
	out.Reset()
	if err := demo.Seed(ctx, s.DB, s.Cfg, &out); err != nil {
		t.Fatalf("second seed: %v\n%s", err, out.String())
	}
	second := rowCounts(t, s.DB)
	for table, n := range first {
		if second[table] != n {
			t.Errorf("%s: %d rows after the second seed, %d after the first", table, second[table], n)
		}
	}

	// Every demo account logs in with the demo password and has its role.
	for _, a := range demo.Accounts {
		acc, err := account.NewStore(s.DB).ByEmail(ctx, a.Email)
		if err != nil {
			t.Fatalf("%s: %v", a.Email, err)
		}
		role, _ := role.Parse(a.Role)
		if !acc.Has(role) {
			t.Errorf("%s has roles %v, want %s", a.Email, acc.Roles, a.Role)
		}
		if ok, err := account.CheckPassword(acc.PasswordHash, s.Cfg.DemoPassword); !ok || err != nil {
			t.Errorf("%s: demo password does not match (%v)", a.Email, err)
		}
	}
	var workAreas, outside int
	var muni, home string
	err := s.DB.QueryRow(ctx, `
		SELECT count(*), count(*) FILTER (WHERE n.municipality_id <> (SELECT id FROM municipalities WHERE code = 'GM0344'))
		FROM account_work_areas w JOIN accounts a ON a.id = w.account_id JOIN neighbourhoods n ON n.id = w.neighbourhood_id
		WHERE a.email = $1`, demo.WorkerEmail).Scan(&workAreas, &outside)
	if err != nil || workAreas != 22 || outside != 0 {
		t.Errorf("worker work areas: %d (%d outside Utrecht), want 22 in Utrecht; err %v", workAreas, outside, err)
	}
	err = s.DB.QueryRow(ctx, `SELECT m.code FROM accounts a JOIN municipalities m ON m.id = a.municipality_id WHERE a.email = $1`, demo.OfficerEmail).Scan(&muni)
	if err != nil || muni != "GM0344" {
		t.Errorf("officer municipality %q, err %v", muni, err)
	}
	err = s.DB.QueryRow(ctx, `SELECT n.municipality_id::text FROM accounts a JOIN neighbourhoods n ON n.id = a.home_neighbourhood_id
		JOIN municipalities m ON m.id = n.municipality_id WHERE a.email = $1 AND m.code = 'GM0344'`, demo.ResidentEmail).Scan(&home)
	if err != nil {
		t.Errorf("resident has no home neighbourhood in Utrecht: %v", err)
	}

	// Demo accounts need no confirmation mail: every one is confirmed.
	var unconfirmed int
	if err := s.DB.QueryRow(ctx, `SELECT count(*) FROM accounts WHERE email_confirmed_at IS NULL`).Scan(&unconfirmed); err != nil || unconfirmed != 0 {
		t.Errorf("%d demo accounts unconfirmed (%v)", unconfirmed, err)
	}

	// The demo accounts work through the real login.
	c := s.Client(t)
	res := c.PostForm("/inloggen", map[string][]string{"email": {demo.AdminEmail}, "password": {s.Cfg.DemoPassword}})
	if res.StatusCode != 303 {
		t.Errorf("login as demo admin: status %d", res.StatusCode)
	}
}

func TestSeedRefusedInProduction(t *testing.T) {
	t.Parallel()
	db := testkit.NewPool(t)
	cfg := testkit.TestConfig()
	cfg.Env = "production"
	err := demo.Seed(context.Background(), db, cfg, &bytes.Buffer{})
	if !errors.Is(err, demo.ErrProduction) {
		t.Fatalf("err = %v, want ErrProduction", err)
	}
	var n int
	if err := db.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM accounts) + (SELECT count(*) FROM neighbourhoods)`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("production seed wrote %d rows (err %v)", n, err)
	}
}
