package neighbourhood_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/role"
)

// On the neighbourhood page the features' sections come first, in the
// order of wire.go, then the figures, then the map; the workers of the area
// are listed with a message button for logged-in members.
func TestHubOrderAndWorkers(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	ctx := context.Background()
	wendy := s.CreateUser(t, "wendy@example.nl", role.Resident, role.Worker)
	karel := s.CreateUser(t, "karel@example.nl", role.Resident, role.Worker)
	s.CreateUser(t, "eva@example.nl")
	var nb int64
	if err := s.DB.QueryRow(ctx, `SELECT id FROM neighbourhoods WHERE code = 'BU03440112'`).Scan(&nb); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO organisations (name, kind) VALUES ('Buurtwerk Utrecht', 'welzijn')`,
		`UPDATE accounts SET display_name = 'Wendy Jansen', organisation_id = (SELECT id FROM organisations WHERE name = 'Buurtwerk Utrecht') WHERE email = 'wendy@example.nl'`,
		`INSERT INTO account_work_areas (account_id, neighbourhood_id) SELECT a.id, n.id FROM accounts a, neighbourhoods n
		  WHERE (a.email = 'wendy@example.nl' AND n.code = 'BU03440112') OR (a.email = 'karel@example.nl' AND n.code = 'BU03440111')`,
	} {
		if _, err := s.DB.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	messageLink := "/berichten/nieuw?over=opbouwwerker&amp;id=" + strconv.FormatInt(wendy.ID, 10) + "&amp;buurt=" + strconv.FormatInt(nb, 10)

	eva := s.Login(t, "eva@example.nl")
	res := eva.Get("/buurten/BU03440112")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	order := []string{`id="buurt-initiatieven"`, `data-testid="asset-section"`, `data-testid="signals-section"`,
		`data-testid="activities-section"`, `data-testid="workers-section"`, `data-testid="figures-section"`, `id="kaart-kop"`,
		"Buurten in Wijk 01 West"}
	last := -1
	for _, marker := range order {
		at := strings.Index(res.Body, marker)
		if at < 0 {
			t.Errorf("page lacks %s", marker)
			continue
		}
		if at < last {
			t.Errorf("%s comes before the section above it in the intended order", marker)
		}
		last = at
	}
	workers := res.Body[strings.Index(res.Body, `data-testid="workers-section"`):strings.Index(res.Body, `data-testid="figures-section"`)]
	for _, want := range []string{"<strong>Wendy Jansen</strong>, Buurtwerk Utrecht", messageLink, `Stuur een bericht<span class="bk-visually-hidden"> aan Wendy Jansen</span>`} {
		if !strings.Contains(workers, want) {
			t.Errorf("workers section lacks %q:\n%s", want, workers)
		}
	}
	if strings.Contains(workers, "karel") || strings.Contains(workers, "id="+strconv.FormatInt(karel.ID, 10)+"&") {
		t.Error("a worker of another neighbourhood is listed")
	}

	// Anonymous visitors see who the workers are, without a button.
	anon := s.Client(t).Get("/buurten/BU03440112").Body
	if !strings.Contains(anon, "Wendy Jansen") || strings.Contains(anon, "over=opbouwwerker") || !strings.Contains(anon, "Log in om een opbouwwerker een bericht te sturen.") {
		t.Error("anonymous workers section wrong")
	}
	// The worker gets no button to herself; a suspended worker is not listed.
	if own := s.Login(t, "wendy@example.nl").Get("/buurten/BU03440112").Body; strings.Contains(own, "over=opbouwwerker") {
		t.Error("the worker gets a message button to herself")
	}
	if _, err := s.DB.Exec(ctx, `UPDATE accounts SET suspended_at = now(), suspended_reason = 'Test' WHERE id = $1`, wendy.ID); err != nil {
		t.Fatal(err)
	}
	if body := eva.Get("/buurten/BU03440112").Body; strings.Contains(body, "Wendy Jansen") || !strings.Contains(body, "nog geen opbouwwerker bekend") {
		t.Error("a suspended worker is still listed")
	}
}

// A neighbourhood without kerncijfers says "onbekend", never 0, and shows
// no age table or CBS figures attribution.
func TestUnknownFigures(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	res := s.Client(t).Get("/buurten/BU03440911")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	for _, want := range []string{`<dd data-testid="inhabitants">onbekend`, `<dd data-testid="households">onbekend</dd>`, "Inwonertal onbekend."} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, ban := range []string{`data-testid="age-groups"`, "StatLine", `data-testid="inhabitants">0`, " 0 inwoners"} {
		if strings.Contains(res.Body, ban) {
			t.Errorf("page shows %q", ban)
		}
	}
}
