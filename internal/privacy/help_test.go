package privacy_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// TestHelpExportAndDeletion: the export holds the help the person asked,
// offered and answered, without the other's text; deleting the account
// deletes their requests and answers, and leaves the neighbour's request.
func TestHelpExportAndDeletion(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	nb := testkit.NewGeo(t, s.DB).Neighbourhood("BU03440301", "Oudwijk")
	anna := s.CreateUser(t, "anna@example.nl")
	bram := s.CreateUser(t, "bram@example.nl")
	ctx := context.Background()
	exec(t, s, `UPDATE accounts SET home_neighbourhood_id = $1 WHERE id IN ($2, $3)`, nb, anna.ID, bram.ID)
	help := func(author int64, body string) int64 {
		return id(t, s, `INSERT INTO help_requests (kind, category, body, neighbourhood_id, author_id, starts_on, ends_on, idempotency_key)
			VALUES ('vraag', 'klusje', $3, $1, $2, current_date, current_date + 7, gen_random_uuid()) RETURNING id`, nb, author, body)
	}
	annas := help(anna.ID, "Wie helpt met de dakgoot?")
	brams := help(bram.ID, "Wie tilt een bank naar boven?")
	exec(t, s, `INSERT INTO help_responses (help_request_id, responder_id) VALUES ($1, $2), ($3, $4)`, brams, anna.ID, annas, bram.ID)

	res := s.Login(t, "anna@example.nl").Get("/account/gegevens.json")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("export: %d", res.StatusCode)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal([]byte(res.Body), &doc); err != nil {
		t.Fatal(err)
	}
	if got := string(doc["help_requests"]); !strings.Contains(got, "dakgoot") || !strings.Contains(got, `"answers": 1`) {
		t.Errorf("help_requests: %s", got)
	}
	if got := string(doc["help_answered"]); !strings.Contains(got, `"help_request_id": `) || !strings.Contains(got, "Oudwijk") {
		t.Errorf("help_answered: %s", got)
	}
	if strings.Contains(res.Body, "bank naar boven") || strings.Contains(res.Body, "bram") {
		t.Error("the export holds Bram's request or name")
	}

	s.CreateUser(t, "leeg@example.nl")
	res = s.Login(t, "leeg@example.nl").Get("/account/gegevens.json")
	if err := json.Unmarshal([]byte(res.Body), &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"help_requests", "help_answered"} {
		if string(doc[k]) != "[]" {
			t.Errorf("empty account's %s = %s", k, doc[k])
		}
	}

	c := s.Login(t, "anna@example.nl")
	// The deletion page says what happens to her help requests.
	if page := c.Get("/account/verwijderen"); !strings.Contains(page.Body, `data-testid="preview-help"`) {
		t.Error("the deletion page does not mention her help requests")
	}
	if res := c.PostForm("/account/verwijderen", deleteForm(testkit.Password, true)); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", res.StatusCode)
	}
	var mine, answers, left int
	if err := s.DB.QueryRow(ctx, `SELECT (SELECT count(*) FROM help_requests WHERE id = $1), (SELECT count(*) FROM help_responses WHERE responder_id = $2),
		(SELECT count(*) FROM help_requests WHERE id = $3)`, annas, anna.ID, brams).Scan(&mine, &answers, &left); err != nil {
		t.Fatal(err)
	}
	if mine != 0 || answers != 0 || left != 1 {
		t.Errorf("after deletion: %d own requests, %d answers, Bram's request %d (want 0, 0, 1)", mine, answers, left)
	}
}
