package signal_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// auditRow is one audit entry of a page view.
type auditRow struct {
	actor   int64
	action  string
	subject *int64
	detail  string
}

func auditRows(t *testing.T, w world) []auditRow {
	t.Helper()
	rows, err := w.s.DB.Query(context.Background(), `SELECT actor_id, action, subject_id, detail FROM audit_log ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []auditRow
	for rows.Next() {
		var r auditRow
		if err := rows.Scan(&r.actor, &r.action, &r.subject, &r.detail); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

// TestProfessionalReadsAreAudited: a worker, officer or administrator who
// opens a resident's private signal, or the signal list of their area,
// leaves one audit entry per page view naming them (a reload within the
// minute adds none); residents reading their own, and anyone reading a
// public signal, leave none.
func TestProfessionalReadsAreAudited(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	raiser, raiserID := w.user(t, "melder@example.nl", nil, nil, 0)
	worker, workerID := w.user(t, "werker@example.nl", []role.Role{role.Resident, role.Worker}, []int64{w.oogInAl}, 0)
	officer, officerID := w.user(t, "utrecht@example.nl", []role.Role{role.Officer}, nil, w.utrecht)
	admin, adminID := w.user(t, "beheer@example.nl", []role.Role{role.Admin}, nil, 0)

	private := raise(t, raiser, signalForm("", gmUtrecht, w.oogInAl))
	pub := signalForm("", gmUtrecht, w.oogInAl)
	pub.Set("public", "ja")
	public := raise(t, raiser, pub)
	pp := "/signalen/" + strconv.FormatInt(private, 10)
	pu := "/signalen/" + strconv.FormatInt(public, 10)

	tests := []struct {
		name   string
		c      *testkit.Client
		path   string
		actor  int64
		action string // "" = no entry
		detail string
	}{
		{"raiser's own private signal", raiser, pp, raiserID, "", ""},
		{"raiser's own list", raiser, "/signalen", raiserID, "", ""},
		{"worker opens a private signal", worker, pp, workerID, "signal.view", "als opbouwwerker"},
		{"officer opens a private signal", officer, pp, officerID, "signal.view", "als gemeente"},
		{"administrator opens a private signal", admin, pp, adminID, "signal.view", "als beheerder"},
		{"worker opens a public signal", worker, pu, workerID, "", ""},
		{"worker's list", worker, "/signalen?status=gesignaleerd", workerID, "signal.list", "status=gesignaleerd pagina=1"},
		{"officer's list", officer, "/signalen", officerID, "signal.list", "status= pagina=1"},
	}
	for _, tt := range tests {
		// Not parallel: each case counts the entries it adds.
		before := len(auditRows(t, w))
		for range 2 { // the second view, within the minute, adds nothing
			if res := tt.c.Get(tt.path); res.StatusCode != 200 {
				t.Fatalf("%s: GET %s: %d", tt.name, tt.path, res.StatusCode)
			}
		}
		added := auditRows(t, w)[before:]
		if tt.action == "" {
			if len(added) != 0 {
				t.Errorf("%s: %d audit entries, want none: %+v", tt.name, len(added), added)
			}
			continue
		}
		if len(added) != 1 {
			t.Errorf("%s: %d audit entries, want 1: %+v", tt.name, len(added), added)
			continue
		}
		got := added[0]
		if got.actor != tt.actor || got.action != tt.action || got.detail != tt.detail {
			t.Errorf("%s: entry %+v, want actor %d, %s, %q", tt.name, got, tt.actor, tt.action, tt.detail)
		}
		if tt.action == "signal.view" && (got.subject == nil || *got.subject != private) {
			t.Errorf("%s: subject %v, want signal %d", tt.name, got.subject, private)
		}
		if tt.action == "signal.list" && got.subject != nil {
			t.Errorf("%s: a list has no one subject, got %d", tt.name, *got.subject)
		}
	}
	// Another filter is another view.
	before := len(auditRows(t, w))
	worker.Get("/signalen?status=opgepakt")
	if n := len(auditRows(t, w)) - before; n != 1 {
		t.Errorf("list with another filter: %d entries, want 1", n)
	}
}
