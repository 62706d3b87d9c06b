package signal_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// TestRaiseFormStartsFromHome: a resident with a home neighbourhood skips
// the municipality step and finds the home preselected, can still choose
// another neighbourhood or municipality, and a worker's work areas still
// come first.
func TestRaiseFormStartsFromHome(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	resident, residentID := w.user(t, "thuis@example.nl", nil, nil, 0)
	worker, workerID := w.user(t, "werker@example.nl", []role.Role{role.Worker}, []int64{w.leidenCentrum}, 0)
	roaming, roamingID := w.user(t, "overal@example.nl", []role.Role{role.Worker}, []int64{w.oogInAl, w.leidenCentrum}, 0)
	for _, id := range []int64{residentID, workerID, roamingID} {
		if _, err := w.s.DB.Exec(context.Background(), `UPDATE accounts SET home_neighbourhood_id = $2 WHERE id = $1`, id, w.lombok); err != nil {
			t.Fatal(err)
		}
	}
	const chooser = "In welke gemeente speelt het?"
	lombokChosen, oogInAl := option(w.lombok, "Lombok", true), option(w.oogInAl, "Oog in Al", false)
	tests := []struct {
		name   string
		c      *testkit.Client
		path   string
		want   []string
		absent []string
	}{
		{"home decides the municipality and is preselected", resident, "/signalen/nieuw",
			[]string{lombokChosen, oogInAl, "Gemeente: <strong>Utrecht</strong>", "Andere gemeente kiezen"}, []string{chooser}},
		{"home's own municipality chosen: still preselected", resident, "/signalen/nieuw?gemeente=" + gmUtrecht,
			[]string{lombokChosen}, []string{chooser}},
		{"another municipality chosen: nothing preselected", resident, "/signalen/nieuw?gemeente=" + gmLeiden,
			[]string{option(w.leidenCentrum, "Leiden-Centrum", false)}, []string{"Lombok", " selected>"}},
		{"a neighbourhood link wins over the home", resident, "/signalen/nieuw?buurt=" + w.oogInAlCode,
			[]string{option(w.oogInAl, "Oog in Al", true), option(w.lombok, "Lombok", false)}, nil},
		{"choose again", resident, "/signalen/nieuw?kies=1", []string{chooser}, []string{`name="neighbourhood"`}},
		{"a worker's one area comes first", worker, "/signalen/nieuw",
			[]string{option(w.leidenCentrum, "Leiden-Centrum", true)}, []string{"Lombok"}},
		{"a worker's areas in two municipalities: the home decides", roaming, "/signalen/nieuw",
			[]string{lombokChosen}, []string{chooser}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := tt.c.Get(tt.path)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d", res.StatusCode)
			}
			for _, s := range tt.want {
				if !strings.Contains(res.Body, s) {
					t.Errorf("page lacks %s", s)
				}
			}
			for _, s := range tt.absent {
				if strings.Contains(res.Body, s) {
					t.Errorf("page has %s", s)
				}
			}
		})
	}
	// Raising it in another neighbourhood than the home works.
	token := formToken(t, resident, "/signalen/nieuw")
	res := resident.PostForm("/signalen/nieuw", url.Values{"gemeente": {gmUtrecht}, "token": {token},
		"neighbourhood": {strconv.FormatInt(w.oogInAl, 10)}, "title": {"Bankje kapot"}, "description": {"Het bankje bij de speeltuin is kapot."},
		"theme": {"openbare-ruimte"}, "addressed_to": {"gemeente"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("raise: %d\n%s", res.StatusCode, res.Body)
	}
	var n int
	if err := w.s.DB.QueryRow(context.Background(), `SELECT count(*) FROM signals WHERE neighbourhood_id = $1`, w.oogInAl).Scan(&n); err != nil || n != 1 {
		t.Errorf("signal in the chosen neighbourhood: %d, %v", n, err)
	}
}
