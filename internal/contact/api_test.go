package contact_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/contact"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
	"github.com/buurtkracht/buurtkracht/internal/uuid"
	"github.com/buurtkracht/buurtkracht/web/dutch"
)

var tokenRE = regexp.MustCompile(`bk_[A-Za-z0-9_-]{43}`)

// newToken creates an API token through /account and returns the secret.
func newToken(t *testing.T, c *testkit.Client, name string) string {
	t.Helper()
	res := c.PostForm("/account/tokens", map[string][]string{"token_name": {name}, "token_days": {"90"}, "token_password": {testkit.Password}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("create token: %d\n%s", res.StatusCode, res.Body)
	}
	page := c.Get("/account")
	secret := tokenRE.FindString(page.Body)
	if secret == "" {
		t.Fatalf("account page does not show the new token")
	}
	if again := c.Get("/account"); strings.Contains(again.Body, secret) {
		t.Fatal("token shown a second time")
	}
	return secret
}

func apiRequest(t *testing.T, f *fixture, method, path, token, body string) testkit.Response {
	t.Helper()
	req, err := http.NewRequest(method, f.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("Content-Type", "application/json")
	return f.Client(t).Do(req)
}

func TestAPITokenLifecycle(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	w, c := f.worker(t, "ow@example.nl", lombok)
	secret := newToken(t, c, "Telefoon <Pixel>")
	if res := c.Get("/account"); !strings.Contains(res.Body, "Telefoon &lt;Pixel&gt;") || !strings.Contains(res.Body, "Intrekken") {
		t.Error("account page lacks the token's (escaped) name or revoke button")
	}
	// Only the hash is stored.
	if n := f.count(t, `SELECT count(*) FROM api_tokens WHERE account_id = $1 AND token_hash = sha256(convert_to($2, 'UTF8'))`, w.ID, secret); n != 1 {
		t.Error("stored hash does not match SHA-256 of the token")
	}
	if n := f.count(t, `SELECT count(*) FROM api_tokens t WHERE position(convert_to($1, 'UTF8') IN t.token_hash) > 0 OR t.name = $1`, secret); n != 0 {
		t.Error("token stored in plain text")
	}

	clientID := uuid.New()
	body := fmt.Sprintf(`{"client_id":%q,"neighbourhood":%q,"place_type":"popup","strategy":"bridging","people_count":4,"themes":["ontmoeting"],"note":"eigen notitie"}`, clientID, lombok)
	res := apiRequest(t, f, "POST", "/api/v1/contacts", secret, body)
	if res.StatusCode != http.StatusCreated {
		t.Fatalf("API create: %d %s", res.StatusCode, res.Body)
	}
	var first contact.APIContact
	if err := json.Unmarshal([]byte(res.Body), &first); err != nil || first.ID == 0 || first.PeopleCount != 4 || first.ClientID != clientID {
		t.Fatalf("API create body: %v %+v", err, first)
	}
	res = apiRequest(t, f, "POST", "/api/v1/contacts", secret, body)
	var again contact.APIContact
	_ = json.Unmarshal([]byte(res.Body), &again)
	if res.StatusCode != http.StatusOK || again.ID != first.ID {
		t.Fatalf("API replay: %d id %d, want 200 id %d", res.StatusCode, again.ID, first.ID)
	}
	if n := f.count(t, `SELECT count(*) FROM contacts WHERE worker_id = $1`, w.ID); n != 1 {
		t.Errorf("%d contacts after a replay, want 1", n)
	}
	if n := f.count(t, `SELECT count(*) FROM api_tokens WHERE account_id = $1 AND last_used_at IS NOT NULL`, w.ID); n != 1 {
		t.Error("last use not recorded")
	}

	today := time.Now().In(dutch.Amsterdam).Format("2006-01-02")
	res = apiRequest(t, f, "GET", "/api/v1/contacts?from="+today+"&to="+today, secret, "")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `"note":"eigen notitie"`) || !strings.Contains(res.Body, clientID) {
		t.Fatalf("API list: %d %s", res.StatusCode, res.Body)
	}
	if res := apiRequest(t, f, "GET", "/api/v1/contacts?from=2020-01-01&to=2020-01-31", secret, ""); !strings.Contains(res.Body, `"contacts":[]`) {
		t.Errorf("API list of an empty period: %s", res.Body)
	}

	// Another worker's token sees only their own contacts.
	_, oc := f.worker(t, "collega@example.nl", lombok)
	other := newToken(t, oc, "ander")
	if res := apiRequest(t, f, "GET", "/api/v1/contacts?from="+today+"&to="+today, other, ""); strings.Contains(res.Body, "eigen notitie") {
		t.Error("API shows another worker's contacts")
	}
	// The same client id from another worker is a different contact.
	if res := apiRequest(t, f, "POST", "/api/v1/contacts", other, body); res.StatusCode != http.StatusCreated {
		t.Errorf("other worker, same client id: %d", res.StatusCode)
	}

	// Revoking ends the token; someone else's token cannot be revoked.
	var id int64
	if err := f.DB.QueryRow(context.Background(), `SELECT id FROM api_tokens WHERE account_id = $1`, w.ID).Scan(&id); err != nil {
		t.Fatal(err)
	}
	if res := oc.PostForm(fmt.Sprintf("/account/tokens/%d/intrekken", id), nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("revoke someone else's token: %d", res.StatusCode)
	}
	if res := c.PostForm(fmt.Sprintf("/account/tokens/%d/intrekken", id), nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", res.StatusCode)
	}
	res = apiRequest(t, f, "GET", "/api/v1/contacts", secret, "")
	if res.StatusCode != http.StatusUnauthorized || res.Header.Get("WWW-Authenticate") == "" {
		t.Errorf("revoked token: %d", res.StatusCode)
	}

	// A token of an account that lost the worker role is refused.
	if _, err := f.DB.Exec(context.Background(), `UPDATE accounts SET roles = '{resident}' WHERE email = 'collega@example.nl'`); err != nil {
		t.Fatal(err)
	}
	if res := apiRequest(t, f, "GET", "/api/v1/contacts", other, ""); res.StatusCode != http.StatusForbidden {
		t.Errorf("token of a former worker: %d", res.StatusCode)
	}
}

func TestAPIAuthentication(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, c := f.worker(t, "ow@example.nl", lombok)
	for _, tok := range []string{"", "bk_" + strings.Repeat("A", 43), "onzin"} {
		res := apiRequest(t, f, "GET", "/api/v1/contacts", tok, "")
		if res.StatusCode != http.StatusUnauthorized || !strings.Contains(res.Header.Get("Content-Type"), "json") {
			t.Errorf("token %q: %d %s", tok, res.StatusCode, res.Header.Get("Content-Type"))
		}
	}
	// A session cookie alone does not open the API.
	if res := c.Get("/api/v1/contacts"); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("session on the API: %d", res.StatusCode)
	}
	// Residents cannot make tokens.
	f.CreateUser(t, "bewoner@example.nl", role.Resident)
	rc := f.Login(t, "bewoner@example.nl")
	if res := rc.PostForm("/account/tokens", map[string][]string{"token_name": {"x"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("resident creates token: %d", res.StatusCode)
	}
	if res := rc.Get("/account"); strings.Contains(res.Body, "API-tokens") {
		t.Error("resident's account page offers API tokens")
	}
	// Bad token names re-render with 422.
	for _, name := range []string{"", "a\x00b", strings.Repeat("n", 101)} {
		if res := c.PostForm("/account/tokens", map[string][]string{"token_name": {name}}); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("token name %q: %d", name, res.StatusCode)
		}
	}
}

func TestAPIValidation(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	_, c := f.worker(t, "ow@example.nl", lombok)
	tok := newToken(t, c, "app")
	valid := func(extra string) string {
		return fmt.Sprintf(`{"client_id":%q,"neighbourhood":%q,"place_type":"straat","strategy":"bonding"%s}`, uuid.New(), lombok, extra)
	}
	tests := []struct {
		name, body string
		status     int
		field      string
	}{
		{"not JSON", `{"client_id":`, 400, ""},
		{"unknown field", valid(`,"resident_name":"Piet"`), 400, ""},
		{"two objects", valid("") + valid(""), 400, ""},
		{"missing strategy", fmt.Sprintf(`{"client_id":%q,"neighbourhood":%q,"place_type":"straat"}`, uuid.New(), lombok), 422, "strategy"},
		{"unknown place", valid(`,"place_type":"kroeg"`), 422, "place_type"},
		{"other area", fmt.Sprintf(`{"client_id":%q,"neighbourhood":%q,"place_type":"straat","strategy":"bonding"}`, uuid.New(), zuilen), 422, "neighbourhood"},
		{"people zero", valid(`,"people_count":0`), 422, "people_count"},
		{"people huge", valid(`,"people_count":10000`), 422, "people_count"},
		{"people fraction", valid(`,"people_count":2.5`), 422, "people_count"},
		{"people object", valid(`,"people_count":{}`), 422, "people_count"},
		{"unknown theme", valid(`,"themes":["raketten"]`), 422, "themes"},
		{"NUL in note", valid(`,"note":"a\u0000b"`), 422, "note"},
		{"long note", valid(`,"note":"` + strings.Repeat("x", 501) + `"`), 422, "note"},
		{"future", valid(`,"occurred_at":"2099-01-01T10:00:00Z"`), 422, "occurred_at"},
		{"no client id", fmt.Sprintf(`{"neighbourhood":%q,"place_type":"straat","strategy":"bonding"}`, lombok), 422, "client_id"},
		{"unknown initiative", valid(`,"follow_up":"initiatief","initiative_id":999999`), 422, "initiative_id"},
		{"RFC 3339 moment and string count", valid(`,"occurred_at":"` + time.Now().Add(-time.Hour).Format(time.RFC3339) + `","people_count":"3"`), 201, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := apiRequest(t, f, "POST", "/api/v1/contacts", tok, tt.body)
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", res.StatusCode, tt.status, res.Body)
			}
			if tt.field != "" {
				var out struct {
					Errors map[string]string `json:"errors"`
				}
				if err := json.Unmarshal([]byte(res.Body), &out); err != nil || out.Errors[tt.field] == "" {
					t.Errorf("no error for %s: %s", tt.field, res.Body)
				}
			}
		})
	}
	for _, q := range []string{"?from=gisteren", "?from=2026-02-30", "?from=2026-10-10&to=2026-10-01"} {
		if res := apiRequest(t, f, "GET", "/api/v1/contacts"+q, tok, ""); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `"errors"`) {
			t.Errorf("GET %s: %d %s", q, res.StatusCode, res.Body)
		}
	}
}

func TestSyncEndpointIsIdempotent(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	w, c := f.worker(t, "ow@example.nl", lombok)
	body := fmt.Sprintf(`{"client_id":%q,"occurred_at":%q,"neighbourhood":%q,"place_type":"straat","people_count":"","strategy":"bonding","themes":[],"energy":"","concern":"","note":"","follow_up":"geen","initiative_id":"","referral":""}`,
		uuid.New(), time.Now().In(dutch.Amsterdam).Format("2006-01-02T15:04"), lombok)
	statuses := []int{}
	for i := 0; i < 3; i++ {
		statuses = append(statuses, c.PostJSON("/contacten/sync", body).StatusCode)
	}
	if fmt.Sprint(statuses) != "[201 200 200]" {
		t.Errorf("statuses %v, want [201 200 200]", statuses)
	}
	if n := f.count(t, `SELECT count(*) FROM contacts WHERE worker_id = $1`, w.ID); n != 1 {
		t.Errorf("%d contacts, want 1", n)
	}
	// A cross-site page cannot post into the sync endpoint with the worker's cookie.
	c.Header.Set("Origin", "https://evil.example")
	c.Header.Set("Sec-Fetch-Site", "cross-site")
	if res := c.PostJSON("/contacten/sync", body); res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site sync: %d", res.StatusCode)
	}
}
