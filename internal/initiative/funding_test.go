package initiative_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/initiative"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

func TestParseAmount(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in    string
		cents int64
		ok    bool
	}{
		{"1250", 125000, true},
		{"1.250,50", 125050, true},
		{"1.250", 125000, true},
		{"€ 75,-", 7500, true},
		{"€75", 7500, true},
		{"12,5", 1250, true},
		{"12.50", 1250, true},
		{"0,99", 99, true},
		{"100.000", 10000000, true},
		{"1 250", 125000, true},
		{"0", 0, true}, // parsed; the handler refuses zero
		{"", 0, false},
		{"-5", 0, false},
		{"abc", 0, false},
		{"1e5", 0, false},
		{"12,345", 0, false},
		{"1.2.3", 0, false},
		{"1.25.000", 0, false},
		{"12,", 0, false},
		{",50", 0, false},
		{"99999999999999999999", 0, false},
		{"0x10", 0, false},
	}
	for _, tt := range tests {
		cents, ok := initiative.ParseAmount(tt.in)
		if ok != tt.ok || (ok && cents != tt.cents) {
			t.Errorf("ParseAmount(%q) = %d, %v; want %d, %v", tt.in, cents, ok, tt.cents, tt.ok)
		}
	}
	if got := initiative.FormatAmount(125050); got != "€ 1.250,50" {
		t.Errorf("FormatAmount = %q", got)
	}
	if got := initiative.FormatAmount(7); got != "€ 0,07" {
		t.Errorf("FormatAmount = %q", got)
	}
}

var reRequest = regexp.MustCompile(`/gemeente/aanvragen/([0-9]+)`)

func TestFundingFlow(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	owner, officer, elsewhere := w.clients["owner"], w.clients["officer"], w.clients["officer-elsewhere"]
	key := "0e7c4a52-1b2c-4d3e-8f40-5a6b7c8d9e0f"
	form := func(amount string) url.Values {
		return url.Values{"sleutel": {key}, "bedrag": {amount}, "doel": {"Zaden en gereedschap"}, "begroting": {"Zaden € 200\nGereedschap € 1.050,50"}}
	}
	for _, tt := range []struct{ amount, want string }{
		{"", "Vul dit veld in"},
		{"-5", "Vul een bedrag in euro"},
		{"0", "meer dan € 0"},
		{"0,00", "meer dan € 0"},
		{"veel", "Vul een bedrag in euro"},
		{"<script>", "Vul een bedrag in euro"},
		{"100.000,01", "tot € 100.000"},
		{"99999999999", "tot € 100.000"},
		{"1\x00", "Vul een bedrag in euro"},
	} {
		res := owner.PostForm(path(w.id, "/aanvraag"), form(tt.amount))
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(fieldError(res.Body, "bedrag"), tt.want) {
			t.Errorf("amount %q: %d, error %q", tt.amount, res.StatusCode, fieldError(res.Body, "bedrag"))
		}
	}
	bad := form("100")
	bad.Set("doel", "")
	bad.Set("begroting", strings.Repeat("b", 2001))
	if res := owner.PostForm(path(w.id, "/aanvraag"), bad); res.StatusCode != http.StatusUnprocessableEntity || fieldError(res.Body, "doel") == "" || fieldError(res.Body, "begroting") == "" {
		t.Errorf("purpose/budget: %d %s", res.StatusCode, errorsIn(res.Body))
	}
	if res := owner.PostForm(path(w.id, "/aanvraag"), url.Values{"bedrag": {"100"}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("no token: %d", res.StatusCode)
	}
	// A valid request, submitted twice, is stored once.
	for range 2 {
		if res := owner.PostForm(path(w.id, "/aanvraag"), form("1.250,50")); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("request: %d %s", res.StatusCode, errorsIn(res.Body))
		}
	}
	if n := count(t, w.s, `SELECT count(*) FROM funding_requests WHERE amount_cents = 125050 AND status = 'ingediend'`); n != 1 {
		t.Fatalf("%d requests stored", n)
	}
	if !strings.Contains(owner.Get(path(w.id, "")).Body, "€ 1.250,50") {
		t.Error("owner does not see the pending amount")
	}
	for _, v := range []string{"anonymous", "resident", "other-owner", "worker", "officer-elsewhere"} {
		body := w.clients[v].Get(path(w.id, "")).Body
		if strings.Contains(body, "1.250,50") {
			t.Errorf("%s sees the pending amount", v)
		}
		if !strings.Contains(body, "1 aanvraag wacht") {
			t.Errorf("%s is not told a request is pending", v)
		}
	}

	// The queue: Utrecht's officer sees it, Amsterdam's does not.
	queue := officer.Get("/gemeente/aanvragen")
	m := reRequest.FindStringSubmatch(queue.Body)
	if queue.StatusCode != http.StatusOK || m == nil || !strings.Contains(queue.Body, "€ 1.250,50") {
		t.Fatalf("officer queue: %d", queue.StatusCode)
	}
	reqPath := "/gemeente/aanvragen/" + m[1]
	if body := elsewhere.Get("/gemeente/aanvragen").Body; strings.Contains(body, "1.250,50") || strings.Contains(body, reqPath) {
		t.Error("officer of another municipality sees the request")
	}
	if res := elsewhere.Get(reqPath); res.StatusCode != http.StatusForbidden || strings.Contains(res.Body, "1.250,50") {
		t.Errorf("other municipality GET: %d", res.StatusCode)
	}
	if res := elsewhere.PostForm(reqPath, url.Values{"besluit": {"toegekend"}, "motivering": {"Mooi plan"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("other municipality POST: %d", res.StatusCode)
	}
	for _, v := range []string{"anonymous", "resident", "owner", "worker", "admin"} {
		res := w.clients[v].PostForm(reqPath, url.Values{"besluit": {"toegekend"}, "motivering": {"Mooi plan"}})
		if res.StatusCode != http.StatusForbidden && !strings.HasPrefix(res.Location(), "/inloggen") {
			t.Errorf("%s decides: %d", v, res.StatusCode)
		}
		get := w.clients[v].Get(reqPath)
		if (get.StatusCode != http.StatusForbidden && !strings.HasPrefix(get.Location(), "/inloggen")) || strings.Contains(get.Body, "1.250,50") {
			t.Errorf("%s opens the request: %d", v, get.StatusCode)
		}
		if q := w.clients[v].Get("/gemeente/aanvragen"); strings.Contains(q.Body, "1.250,50") {
			t.Errorf("%s sees the queue", v)
		}
	}
	if n := count(t, w.s, `SELECT count(*) FROM funding_requests WHERE status <> 'ingediend'`); n != 0 {
		t.Fatal("a decision was stored by someone without the right")
	}
	if res := officer.Get(reqPath); res.StatusCode != http.StatusOK || !strings.Contains(res.Body, "Gereedschap € 1.050,50") {
		t.Errorf("officer opens the request: %d", res.StatusCode)
	}
	// Deciding needs a decision and a reason.
	for _, f := range []url.Values{
		{"besluit": {"toegekend"}},
		{"besluit": {"misschien"}, "motivering": {"x"}},
		{"motivering": {"x"}},
		{"besluit": {"afgewezen"}, "motivering": {strings.Repeat("m", 1001)}},
	} {
		if res := officer.PostForm(reqPath, f); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%v: %d", f, res.StatusCode)
		}
	}
	if res := officer.PostForm(reqPath, url.Values{"besluit": {"toegekend"}, "motivering": {"Past bij het groenbeleid <3"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("decide: %d %s", res.StatusCode, errorsIn(res.Body))
	}
	if res := officer.PostForm(reqPath, url.Values{"besluit": {"afgewezen"}, "motivering": {"Toch niet"}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("second decision: %d", res.StatusCode)
	}
	if n := count(t, w.s, `SELECT count(*) FROM funding_requests WHERE status = 'toegekend' AND reason = 'Past bij het groenbeleid <3'`); n != 1 {
		t.Error("decision not stored, or overwritten by the second one")
	}
	page := owner.Get(path(w.id, "")).Body
	if !strings.Contains(page, "Toegekend") || !strings.Contains(page, "Past bij het groenbeleid &lt;3") {
		t.Error("owner does not see the decision and reason")
	}
	// The public sees the amount granted, never the motivation (DOMAIN.md).
	if page := w.s.Client(t).Get(path(w.id, "")).Body; !strings.Contains(page, "Toegekend") || strings.Contains(page, "groenbeleid") {
		t.Error("an anonymous visitor sees the motivation, or not the decision")
	}
	if n := count(t, w.s, `SELECT count(*) FROM audit_log WHERE action = 'funding.view'`); n < 1 {
		t.Error("opening a request is not audited")
	}
	if n := count(t, w.s, `SELECT count(*) FROM audit_log WHERE action = 'funding.decide'`); n != 1 {
		t.Errorf("decisions audited: %d", n)
	}
	// Owners of another initiative cannot request for this one.
	if res := w.clients["other-owner"].PostForm(path(w.id, "/aanvraag"), form("50")); res.StatusCode != http.StatusForbidden {
		t.Errorf("other owner requests: %d", res.StatusCode)
	}
}

// The queue lists every pending request, however many, and the newest
// DecisionsShown decisions, saying so when older ones are left out.
func TestFundingQueueNeverHidesPendingRequests(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	const pending = 250 // more than any page cap the queue ever had (200)
	if _, err := w.s.DB.Exec(context.Background(), `
		INSERT INTO funding_requests (initiative_id, fund_id, amount_cents, purpose, budget, created_at)
		SELECT $1, $3, 1000 + g, 'Wachtend ' || g, 'Begroting', now() - g * interval '1 hour' FROM generate_series(1, $2) g`,
		w.id, pending, testkit.DefaultFund(t, w.s.DB, w.id)); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.DB.Exec(context.Background(), `
		INSERT INTO funding_requests (initiative_id, fund_id, amount_cents, purpose, budget, status, decided_at, reason, created_at)
		SELECT $1, $3, 5000 + g, 'Besloten ' || g, 'Begroting', 'afgewezen', now() - g * interval '1 minute', 'Geen geld', now() - interval '30 days'
		  FROM generate_series(1, $2) g`, w.id, initiative.DecisionsShown+5, testkit.DefaultFund(t, w.s.DB, w.id)); err != nil {
		t.Fatal(err)
	}
	body := w.clients["officer"].Get("/gemeente/aanvragen").Body
	if n := strings.Count(body, `href="/gemeente/aanvragen/`); n != pending {
		t.Errorf("%d pending requests listed, want all %d", n, pending)
	}
	if n := strings.Count(body, "Besloten "); n != initiative.DecisionsShown {
		t.Errorf("%d decisions listed, want the newest %d", n, initiative.DecisionsShown)
	}
	// The newest decision is there, the oldest is not.
	if !strings.Contains(body, ">Besloten 1<") || strings.Contains(body, fmt.Sprintf(">Besloten %d<", initiative.DecisionsShown+5)) {
		t.Error("not the newest decisions")
	}
	summary := fmt.Sprintf("%d aanvragen wachten op een besluit. Daaronder de %d nieuwste besluiten", pending, initiative.DecisionsShown)
	if !strings.Contains(body, summary) {
		t.Errorf("queue does not say %q", summary)
	}
}
