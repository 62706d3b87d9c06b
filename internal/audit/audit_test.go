package audit_test

import (
	"context"
	"testing"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/account"
	"github.com/buurtkracht/buurtkracht/internal/audit"
	"github.com/buurtkracht/buurtkracht/internal/role"
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

// TestViewOncePerMinute: a page view is one entry; the same view (actor,
// action, subject, detail) within a minute adds none, any difference does,
// and so does the same view after the minute.
func TestViewOncePerMinute(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	worker := s.CreateUser(t, "werker@example.nl", "worker")
	other := s.CreateUser(t, "collega@example.nl", "worker")
	ctx := context.Background()
	log := audit.New(s.DB)
	count := func() int {
		var n int
		if err := s.DB.QueryRow(ctx, `SELECT count(*) FROM audit_log`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	steps := []struct {
		name    string
		actor   int64
		action  string
		subject int64
		detail  string
		added   int
	}{
		{"first view of a list", worker.ID, "signal.list", 0, "status= pagina=1", 1},
		{"reload", worker.ID, "signal.list", 0, "status= pagina=1", 0},
		{"next page", worker.ID, "signal.list", 0, "status= pagina=2", 1},
		{"someone else", other.ID, "signal.list", 0, "status= pagina=1", 1},
		{"one signal", worker.ID, "signal.view", 7, "", 1},
		{"that signal again", worker.ID, "signal.view", 7, "", 0},
		{"another signal", worker.ID, "signal.view", 8, "", 1},
	}
	for _, st := range steps {
		before := count()
		if err := log.View(ctx, st.actor, st.action, "signal", st.subject, st.detail); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if got := count() - before; got != st.added {
			t.Errorf("%s: %d entries added, want %d", st.name, got, st.added)
		}
	}
	// A list has no subject: NULL, not 0.
	var nulls int
	if err := s.DB.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'signal.list' AND subject_id IS NULL`).Scan(&nulls); err != nil || nulls != 3 {
		t.Errorf("%d list entries without subject, want 3 (err %v)", nulls, err)
	}
	// After the minute the same view is recorded again.
	if _, err := s.DB.Exec(ctx, `INSERT INTO audit_log (at, actor_id, action, subject_type, subject_id, detail)
		VALUES (now() - interval '61 seconds', $1, 'account.list', 'account', NULL, 'rol= zoekterm=nee pagina=1')`, worker.ID); err != nil {
		t.Fatal(err)
	}
	before := count()
	if err := log.View(ctx, worker.ID, "account.list", "account", 0, "rol= zoekterm=nee pagina=1"); err != nil {
		t.Fatal(err)
	}
	if count()-before != 1 {
		t.Error("a view a minute after the last one was not recorded")
	}
}

// A reload within the minute does not even reach the database: the
// process remembers the view it wrote. Once the minute has passed by the
// process's clock, the database is asked again. The pool is closed in
// between, so a view that went to the database would fail.
func TestViewRemembersWhatItWrote(t *testing.T) {
	t.Parallel()
	db := testkit.NewPool(t)
	ctx := context.Background()
	worker, err := account.NewStore(db).Create(ctx, account.NewAccount{Email: "werker@example.nl", DisplayName: "werker",
		PasswordHash: "niet-gebruikt", Roles: []role.Role{role.Worker}, Confirmed: true})
	if err != nil {
		t.Fatal(err)
	}
	log := audit.New(db)
	now := time.Now()
	audit.SetClock(log, func() time.Time { return now })
	if err := log.View(ctx, worker.ID, "contact.team", "contact", 0, "pagina=1"); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE actor_id = $1`, worker.ID).Scan(&n); err != nil || n != 1 {
		t.Fatalf("entries after the first view: %d (%v), want 1", n, err)
	}
	db.Close()
	if err := log.View(ctx, worker.ID, "contact.team", "contact", 0, "pagina=1"); err != nil {
		t.Fatalf("a reload within the minute went to the database: %v", err)
	}
	if err := log.View(ctx, worker.ID, "contact.team", "contact", 0, "pagina=2"); err == nil {
		t.Fatal("another page was not recorded (the closed pool would have failed it)")
	}
	now = now.Add(61 * time.Second)
	if err := log.View(ctx, worker.ID, "contact.team", "contact", 0, "pagina=1"); err == nil {
		t.Fatal("a view a minute later did not go to the database")
	}
}
