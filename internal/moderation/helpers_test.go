package moderation_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/account"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// world is a neighbourhood with one resident's content of every kind, a
// reporter, a worker of the area and an administrator.
type world struct {
	s                    *testkit.Server
	code                 string
	anna, bob, worker    account.Account
	admin                account.Account
	signal, update, ini  int64
	asset, message, conv int64
	help                 int64
	photo                int64 // of the initiative, uploaded by anna
}

func newWorld(t *testing.T) world {
	t.Helper()
	s := testkit.NewServer(t)
	w := world{s: s, code: "BU03440101"}
	nb := testkit.NewGeo(t, s.DB).Neighbourhood(w.code, "Lombok")
	w.anna = s.CreateUser(t, "anna@example.nl")
	w.bob = s.CreateUser(t, "bob@example.nl")
	w.worker = s.CreateUser(t, "wil@example.nl", role.Worker)
	w.admin = s.CreateUser(t, "beheer@example.nl", role.Admin)
	q := func(dst *int64, sql string, args ...any) {
		t.Helper()
		var id int64
		if err := s.DB.QueryRow(context.Background(), sql, args...).Scan(&id); err != nil {
			t.Fatalf("%v\n%s", err, sql)
		}
		if dst != nil {
			*dst = id
		}
	}
	q(nil, `INSERT INTO account_work_areas (account_id, neighbourhood_id) VALUES ($1, $2) RETURNING account_id`, w.worker.ID, nb)
	q(&w.signal, `INSERT INTO signals (neighbourhood_id, title, description, theme, addressed_to, raised_by, raised_as, is_public, idempotency_key)
		VALUES ($1, 'Lantaarn kapot bij de speeltuin', 'Al weken donker.', 'veiligheid', 'gemeente', $2, 'resident', true, gen_random_uuid()) RETURNING id`, nb, w.anna.ID)
	q(&w.ini, `INSERT INTO initiatives (title, summary, municipality_id, form, status, contact_preference, visibility, created_by)
		SELECT 'Repair café Lombok', 'Samen spullen repareren', municipality_id, 'informal', 'actief', 'platform', 'public', $2
		FROM neighbourhoods WHERE id = $1 RETURNING id`, nb, w.anna.ID)
	q(nil, `INSERT INTO initiative_neighbourhoods (initiative_id, neighbourhood_id) VALUES ($1, $2) RETURNING initiative_id`, w.ini, nb)
	q(nil, `INSERT INTO initiative_owners (initiative_id, account_id) VALUES ($1, $2) RETURNING initiative_id`, w.ini, w.anna.ID)
	q(&w.update, `INSERT INTO initiative_updates (initiative_id, author_id, body) VALUES ($1, $2, 'Zaterdag zijn we open met gratis koffie.') RETURNING id`, w.ini, w.anna.ID)
	q(&w.asset, `INSERT INTO assets (kind, name, neighbourhood_id, needs, visibility, created_by, create_token)
		VALUES ('talent', 'Ik kan fietsen repareren', $1, '{kennis}', 'members', $2, 'moderatietest-token-1') RETURNING id`, nb, w.anna.ID)
	q(&w.conv, `INSERT INTO conversations (subject_kind, initiative_id, subject_title, party_id) VALUES ('initiatief', $1, 'Repair café Lombok', $2) RETURNING id`, w.ini, w.bob.ID)
	q(nil, `INSERT INTO conversation_participants (conversation_id, account_id) VALUES ($1, $2), ($1, $3) RETURNING conversation_id`, w.conv, w.anna.ID, w.bob.ID)
	q(&w.message, `INSERT INTO messages (conversation_id, sender_id, body, idempotency_key) VALUES ($1, $2, 'Koop mijn zonnepanelen, nu met korting!', gen_random_uuid()) RETURNING id`, w.conv, w.anna.ID)
	// Anna and Bob live in the neighbourhood, so Bob sees Anna's help request.
	q(nil, `UPDATE accounts SET home_neighbourhood_id = $1 WHERE id IN ($2, $3) RETURNING id`, nb, w.anna.ID, w.bob.ID)
	q(&w.help, `INSERT INTO help_requests (kind, category, body, neighbourhood_id, author_id, starts_on, ends_on, idempotency_key)
		VALUES ('vraag', 'anders', 'Wie wil mijn oude auto kopen?', $1, $2, current_date, current_date + 7, gen_random_uuid()) RETURNING id`, nb, w.anna.ID)
	q(&w.photo, `INSERT INTO photos (initiative_id, uploaded_by, alt_text, width, height, hash, idempotency_key)
		VALUES ($1, $2, 'Een kapotte fiets op tafel', 1, 1, '0123456789abcdef', gen_random_uuid()) RETURNING id`, w.ini, w.anna.ID)
	return w
}

func id(n int64) string { return strconv.FormatInt(n, 10) }

func (w world) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := w.s.DB.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatalf("%v\n%s", err, sql)
	}
	return n
}

func (w world) text(t *testing.T, sql string, args ...any) string {
	t.Helper()
	var s string
	if err := w.s.DB.QueryRow(context.Background(), sql, args...).Scan(&s); err != nil {
		t.Fatalf("%v\n%s", err, sql)
	}
	return s
}

func wantStatus(t *testing.T, what string, res testkit.Response, status int) {
	t.Helper()
	if res.StatusCode != status {
		t.Fatalf("%s: status %d, want %d\n%s", what, res.StatusCode, status, res.Body)
	}
}

func contains(t *testing.T, what, body, want string, yes bool) {
	t.Helper()
	if strings.Contains(body, want) != yes {
		t.Errorf("%s: contains %q = %v, want %v", what, want, !yes, yes)
	}
}

func hide(t *testing.T, admin *testkit.Client, kind string, n int64, reason string) {
	t.Helper()
	res := admin.PostForm("/beheer/moderatie/verbergen", url.Values{"soort": {kind}, "id": {id(n)}, "reden": {reason}})
	wantStatus(t, "hide "+kind, res, http.StatusSeeOther)
}
