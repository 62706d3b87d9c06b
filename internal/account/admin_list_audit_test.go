package account_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// TestAdminAccountListIsAudited: the account list shows people's names and
// addresses, so each page view leaves one audit entry naming the
// administrator, with the filter but never the search text (it may be a
// name or an address); a reload within the minute adds none.
func TestAdminAccountListIsAudited(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	admin := s.CreateUser(t, "beheer@example.nl", role.Resident, role.Admin)
	s.CreateUser(t, "lies.jansen@example.nl")
	ac := s.Login(t, "beheer@example.nl")
	for range 2 {
		if res := ac.Get("/beheer/accounts?q=lies.jansen&rol=resident"); res.StatusCode != http.StatusOK {
			t.Fatalf("account list: %d", res.StatusCode)
		}
	}
	var n int
	var actor int64
	var detail string
	if err := s.DB.QueryRow(context.Background(), `
		SELECT count(*) OVER (), actor_id, detail FROM audit_log WHERE action = 'account.list' LIMIT 1`).Scan(&n, &actor, &detail); err != nil {
		t.Fatalf("no account.list entry: %v", err)
	}
	if n != 1 || actor != admin.ID {
		t.Errorf("%d entries by %d, want 1 by the administrator %d", n, actor, admin.ID)
	}
	if !strings.Contains(detail, "rol=resident") || !strings.Contains(detail, "zoekterm=ja") || strings.Contains(detail, "lies") {
		t.Errorf("detail %q: want the filter, not the search text", detail)
	}
}
