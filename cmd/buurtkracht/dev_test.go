package main

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/demo"
	"github.com/buurtkracht/buurtkracht/internal/postgres"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// TestDevOnEmptyDatabase runs `buurtkracht dev` twice on an empty database:
// it migrates, seeds, serves, prints the URL and the demo accounts, and a
// demo account can log in; the second run adds nothing.
func TestDevOnEmptyDatabase(t *testing.T) {
	t.Parallel()
	cfg := testkit.TestConfig()
	cfg.Env = "development"
	cfg.DatabaseURL = testkit.NewEmptyDB(t)

	runOnce := func() string {
		var out strings.Builder
		e := &env{cfg: cfg, stdout: &out, stderr: io.Discard}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		var status int
		err := dev(ctx, e, nil, func(addr string) {
			defer cancel()
			client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			res, err := client.PostForm("http://"+addr+"/inloggen",
				url.Values{"email": {demo.AdminEmail}, "password": {cfg.DemoPassword}})
			if err != nil {
				t.Error(err)
				return
			}
			res.Body.Close()
			status = res.StatusCode
		})
		if err != nil {
			t.Fatalf("dev: %v\n%s", err, out.String())
		}
		if status != http.StatusSeeOther {
			t.Errorf("demo admin login: status %d, want 303", status)
		}
		return out.String()
	}

	out := runOnce()
	for _, want := range append([]string{"Buurtkracht draait op http://localhost:", "uit DATABASE_URL", cfg.DemoPassword},
		demo.ResidentEmail, demo.WorkerEmail, demo.OfficerEmail, demo.AdminEmail) {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	count := func() int {
		pool, err := postgres.Open(context.Background(), cfg.DatabaseURL)
		if err != nil {
			t.Fatal(err)
		}
		defer pool.Close()
		var n int
		if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM accounts`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count()
	if before < 4 {
		t.Fatalf("%d accounts after the first run, want the 4 demo accounts", before)
	}
	runOnce()
	if after := count(); after != before {
		t.Errorf("second run changed the number of accounts: %d → %d", before, after)
	}
}

func TestDevRefusedInProduction(t *testing.T) {
	t.Parallel()
	cfg := testkit.TestConfig()
	cfg.Env = "production"
	err := dev(context.Background(), &env{cfg: cfg, stdout: io.Discard, stderr: io.Discard}, nil, nil)
	if err == nil || !strings.Contains(err.Error(), "serve") {
		t.Fatalf("dev in production = %v, want a refusal pointing to serve", err)
	}
}
