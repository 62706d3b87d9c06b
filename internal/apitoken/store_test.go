package apitoken_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/apitoken"
	"github.com/buurtkracht/buurtkracht/internal/postgres"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

func TestStoreUseAndRevoke(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	ctx := context.Background()
	a := s.CreateUser(t, "ow@example.nl", role.Worker)
	b := s.CreateUser(t, "ander@example.nl", role.Worker)
	st := apitoken.NewStore(s.DB)
	tok, secret, err := st.Create(ctx, a.ID, "telefoon", apitoken.DefaultLifetime)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret, "bk_") || len(secret) != 46 {
		t.Fatalf("secret %q has the wrong shape", secret)
	}
	_, secret2, _ := st.Create(ctx, a.ID, "tablet", apitoken.DefaultLifetime)
	if secret2 == secret {
		t.Fatal("two tokens share a secret")
	}
	if id, err := st.Use(ctx, secret); err != nil || id != a.ID {
		t.Fatalf("use: %d, %v", id, err)
	}
	last := "A"
	if strings.HasSuffix(secret, "A") {
		last = "B"
	}
	for _, bad := range []string{"", "bk_", secret + "x", strings.Replace(secret, "bk_", "xx_", 1), secret[:45] + last} {
		if _, err := st.Use(ctx, bad); !errors.Is(err, apitoken.ErrInvalid) {
			t.Errorf("use %q: %v, want ErrInvalid", bad, err)
		}
	}
	if err := st.Revoke(ctx, b.ID, tok.ID); !errors.Is(err, apitoken.ErrNotFound) {
		t.Errorf("revoke by another account: %v", err)
	}
	if err := st.Revoke(ctx, a.ID, tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Use(ctx, secret); !errors.Is(err, apitoken.ErrInvalid) {
		t.Errorf("revoked token still works: %v", err)
	}
	if id, err := st.Use(ctx, secret2); err != nil || id != a.ID {
		t.Errorf("revoking one token ended another: %v", err)
	}
	list, err := st.List(ctx, a.ID)
	if err != nil || len(list) != 2 || list[1].RevokedAt == nil || list[0].RevokedAt != nil {
		t.Errorf("list: %v %+v", err, list)
	}
}

// Tokens made before tokens expired get 90 days from the migration, and
// going back revokes the ones that expired meanwhile.
func TestExpiryMigration(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := testkit.NewEmptyDB(t)
	m, err := postgres.NewMigrator(url)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if err := m.Up(); err != nil {
		t.Fatal(err)
	}
	// Step down to just before 000084, whatever came after it.
	for {
		v, _, err := m.Version()
		if err != nil {
			t.Fatal(err)
		}
		if v < 84 {
			break
		}
		if err := m.Down(1); err != nil {
			t.Fatalf("down from %d: %v", v, err)
		}
	}
	pool, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if _, err := pool.Exec(ctx, `
		INSERT INTO accounts (email, display_name, password_hash) VALUES ('oud@example.nl', 'Oud', 'x');
		INSERT INTO api_tokens (account_id, name, token_hash, created_at)
		SELECT id, 'oud', sha256('oud'), now() - interval '2 years' FROM accounts`); err != nil {
		t.Fatal(err)
	}
	if err := m.Up(); err != nil {
		t.Fatal(err)
	}
	pool.Reset()
	var days float64
	if err := pool.QueryRow(ctx, `SELECT extract(epoch FROM expires_at - now()) / 86400 FROM api_tokens`).Scan(&days); err != nil {
		t.Fatal(err)
	}
	if days < 89.9 || days > 90 {
		t.Errorf("an existing token expires in %.2f days, want 90", days)
	}

	// Expired by now: stepping back below 000084 revokes it.
	if _, err := pool.Exec(ctx, `UPDATE api_tokens SET expires_at = now() - interval '1 day'`); err != nil {
		t.Fatal(err)
	}
	for {
		v, _, err := m.Version()
		if err != nil {
			t.Fatal(err)
		}
		if v < 84 {
			break
		}
		if err := m.Down(1); err != nil {
			t.Fatalf("down from %d: %v", v, err)
		}
	}
	pool.Reset()
	var revoked bool
	if err := pool.QueryRow(ctx, `SELECT revoked_at IS NOT NULL FROM api_tokens`).Scan(&revoked); err != nil || !revoked {
		t.Errorf("expired token alive again after going back (%v)", err)
	}
}
