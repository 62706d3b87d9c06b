package initiative_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/initiative"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

func TestAPINeverLeaks(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	owner, resident, admin := w.clients["owner"], w.clients["resident"], w.clients["admin"]
	members := create(t, owner, func(f url.Values) { f.Set("zichtbaarheid", "members"); f.Set("titel", "Alleen voor leden") })
	hidden := create(t, owner, func(f url.Values) { f.Set("titel", "Wordt verborgen") })
	admin.PostForm(path(hidden, "/verbergen"), url.Values{"reden": {"Spam"}})
	resident.PostForm(path(w.id, "/meedoen"), url.Values{"actie": {"mee"}})
	resident.PostForm(path(w.id, "/aanbod"), url.Values{"hulp": {"vrijwilligers"}, "hulp_bericht": {"Geheim bericht"}})
	if _, err := w.s.DB.Exec(t.Context(), `INSERT INTO funding_requests (initiative_id, fund_id, amount_cents, purpose, budget) VALUES ($1, $2, 77700, 'Iets', 'Alles')`,
		w.id, testkit.DefaultFund(t, w.s.DB, w.id)); err != nil {
		t.Fatal(err)
	}

	api := s(w).Client(t) // API clients have no session
	res := api.Get("/api/v1/initiatives")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("list: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	if res.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Error("open data API not readable from other sites")
	}
	var list initiative.APIList
	if err := json.Unmarshal([]byte(res.Body), &list); err != nil {
		t.Fatal(err)
	}
	if len(list.Data) != 2 || list.NextCursor != nil {
		t.Fatalf("%d initiatives, cursor %v; want the 2 public ones", len(list.Data), list.NextCursor)
	}
	for _, body := range []string{res.Body, api.Get("/api/v1/initiatives/" + itoa(w.id)).Body} {
		for _, secret := range []string{"moestuin@example.org", "owner@example.org", "resident@example.org", "Geheim bericht", "amount", "funding", "offer", "Alleen voor leden", "Wordt verborgen", "Spam", "contact", "email", "version", "hidden"} {
			if strings.Contains(body, secret) {
				t.Errorf("API response contains %q", secret)
			}
		}
	}
	one := api.Get("/api/v1/initiatives/" + itoa(w.id))
	var got initiative.APIInitiative
	if err := json.Unmarshal([]byte(one.Body), &got); err != nil || one.StatusCode != http.StatusOK {
		t.Fatalf("show: %d %v", one.StatusCode, err)
	}
	if got.URL != w.s.Cfg.BaseURL+path(w.id, "") {
		t.Errorf("url %q is not the absolute page address", got.URL)
	}
	if got.Title != "Moestuin Oudwijk" || got.Municipality.Code != "GM0344" || len(got.Neighbourhoods) != 2 || got.Supporters != 1 || len(got.Needs) != 2 || got.Status.Code != "idee" {
		t.Errorf("show: %+v", got)
	}
	for _, id := range []string{itoa(members), itoa(hidden), "99999", "abc", "0"} {
		if res := api.Get("/api/v1/initiatives/" + id); res.StatusCode != http.StatusNotFound || !strings.Contains(res.Body, "error") {
			t.Errorf("GET %s: %d %s", id, res.StatusCode, res.Body)
		}
	}
	// Even with a session cookie, members-only stays out of the API.
	if res := resident.Get("/api/v1/initiatives/" + itoa(members)); res.StatusCode != http.StatusNotFound {
		t.Errorf("members-only via API with session: %d", res.StatusCode)
	}
}

func s(w *world) *testkit.Server { return w.s }

func itoa(n int64) string { return strings.TrimPrefix(path(n, ""), "/initiatieven/") }

func TestAPICursorAndFilters(t *testing.T) {
	t.Parallel()
	srv := testkit.NewServer(t)
	g := seedGeo(t, srv)
	insertMany(t, srv.DB, g.utrecht, 25)
	c := srv.Client(t)
	seen := map[int64]bool{}
	last := int64(1 << 62)
	cursor := ""
	pages := 0
	for {
		p := "/api/v1/initiatives?limit=10&theme=ontmoeting"
		if cursor != "" {
			p += "&cursor=" + url.QueryEscape(cursor)
		}
		res := c.Get(p)
		var page initiative.APIList
		if err := json.Unmarshal([]byte(res.Body), &page); err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %v", p, res.StatusCode, err)
		}
		pages++
		for _, i := range page.Data {
			if seen[i.ID] || i.ID >= last {
				t.Fatalf("id %d repeated or out of order", i.ID)
			}
			seen[i.ID], last = true, i.ID
		}
		if page.NextCursor == nil {
			break
		}
		if strings.Contains(*page.NextCursor, itoa(last)) {
			t.Error("cursor is not opaque")
		}
		cursor = *page.NextCursor
	}
	if len(seen) != 25 || pages != 3 {
		t.Errorf("%d initiatives over %d pages, want 25 over 3", len(seen), pages)
	}
	for q, want := range map[string]int{"need=kennis": 20, "need=geld": 0, "municipality=GM0363": 0, "q=samenvatting": 20, "status=actief&district=WK034401": 20} {
		var page initiative.APIList
		res := c.Get("/api/v1/initiatives?" + q)
		if err := json.Unmarshal([]byte(res.Body), &page); err != nil || len(page.Data) != want {
			t.Errorf("%s: %d results, want %d", q, len(page.Data), want)
		}
	}
	for _, bad := range []string{"cursor=xyz", "cursor=aTEuMA", "limit=0", "limit=101", "limit=a", "theme=voetbal", "municipality=Utrecht"} {
		if res := c.Get("/api/v1/initiatives?" + bad); res.StatusCode != http.StatusBadRequest || !strings.Contains(res.Body, `"error"`) {
			t.Errorf("%s: %d %s", bad, res.StatusCode, res.Body)
		}
	}
}
