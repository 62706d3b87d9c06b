package audit_test

import (
	"context"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/audit"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

func TestAuditLogIsAppendOnly(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	admin := s.CreateUser(t, "beheer@example.nl", "admin")
	subject := s.CreateUser(t, "anna@example.nl")
	ctx := context.Background()
	log := audit.New(s.DB)
	if err := log.Record(ctx, admin.ID, "account.view", "account", subject.ID, ""); err != nil {
		t.Fatal(err)
	}
	entries, err := log.Recent(ctx, 10, "account", subject.ID)
	if err != nil || len(entries) != 1 || entries[0].ActorName != "beheer" || entries[0].Action != "account.view" {
		t.Fatalf("entries %+v, err %v", entries, err)
	}
	if _, err := s.DB.Exec(ctx, `UPDATE audit_log SET detail = 'gewijzigd'`); err == nil {
		t.Fatal("update of audit_log allowed")
	}
	if _, err := s.DB.Exec(ctx, `DELETE FROM audit_log`); err == nil {
		t.Fatal("delete from audit_log allowed")
	}
	// Deleting the actor keeps the entry, without the actor.
	if _, err := s.DB.Exec(ctx, `DELETE FROM accounts WHERE id = $1`, admin.ID); err != nil {
		t.Fatalf("deleting an actor's account: %v", err)
	}
	entries, _ = log.Recent(ctx, 10, "", 0)
	if len(entries) != 1 || entries[0].ActorID != nil {
		t.Fatalf("after actor deletion: %+v", entries)
	}
}
