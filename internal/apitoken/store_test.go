package apitoken_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/account"
	"github.com/buurtkracht/buurtkracht/internal/apitoken"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

func TestStoreUseAndRevoke(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	ctx := context.Background()
	a := s.CreateUser(t, "ow@example.nl", account.Worker)
	b := s.CreateUser(t, "ander@example.nl", account.Worker)
	st := apitoken.NewStore(s.DB)
	tok, secret, err := st.Create(ctx, a.ID, "telefoon")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret, "bk_") || len(secret) != 46 {
		t.Fatalf("secret %q has the wrong shape", secret)
	}
	_, secret2, _ := st.Create(ctx, a.ID, "tablet")
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
