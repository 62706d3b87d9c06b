package account_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/buurtkracht/buurtkracht/internal/account"
	"github.com/buurtkracht/buurtkracht/internal/config"
	"github.com/buurtkracht/buurtkracht/internal/smtptest"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// seedPlaces adds municipalities, districts and neighbourhoods and returns
// the neighbourhood ids by code.
func seedPlaces(t *testing.T, db *pgxpool.Pool) map[string]int64 {
	t.Helper()
	geo := testkit.NewGeo(t, db)
	geo.Municipality("GM0344", "Utrecht")
	geo.Municipality("GM0546", "Leiden")
	geo.District("WK034401", "Binnenstad")
	geo.District("WK034402", "Oost")
	geo.District("WK054601", "Centrum")
	return map[string]int64{
		"BU03440101": geo.Neighbourhood("BU03440101", "Domplein"),
		"BU03440102": geo.Neighbourhood("BU03440102", "Lange Elisabethstraat"),
		"BU03440201": geo.Neighbourhood("BU03440201", "Wittevrouwen"),
		"BU05460101": geo.Neighbourhood("BU05460101", "Pieterswijk"),
	}
}

func countAccounts(t *testing.T, db *pgxpool.Pool, email string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(context.Background(), `SELECT count(*) FROM accounts WHERE email = $1`, email).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRegistration(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	places := seedPlaces(t, s.DB)
	s.CreateUser(t, "bestaat@example.nl")
	good := func() url.Values {
		return url.Values{"email": {"nieuw@example.nl"}, "name": {"Nina"}, "password": {"paarse fiets op het dak"}, "buurt": {""}, "website": {""}}
	}

	t.Run("form lists neighbourhoods grouped by municipality", func(t *testing.T) {
		res := s.Client(t).Get("/registreren")
		for _, want := range []string{`<optgroup label="Leiden">`, `<optgroup label="Utrecht">`, ">Wittevrouwen</option>", `name="website"`, `autocomplete="new-password"`} {
			if !strings.Contains(res.Body, want) {
				t.Errorf("registration form lacks %s", want)
			}
		}
	})

	bad := []struct {
		name, field, value, msg string
	}{
		{"empty e-mail", "email", "", "Vul je e-mailadres in."},
		{"bad e-mail", "email", "geen-adres", "Vul een geldig e-mailadres in"},
		{"too long e-mail", "email", strings.Repeat("a", 250) + "@example.nl", "te lang"},
		{"NUL in e-mail", "email", "a\x00b@example.nl", "tekens die we niet kunnen opslaan"},
		{"empty name", "name", "  ", "Vul je naam in."},
		{"too long name", "name", strings.Repeat("n", 101), "hoogstens 100 tekens"},
		{"NUL in name", "name", "Ni\x00na", "tekens die we niet kunnen opslaan"},
		{"empty password", "password", "", "Vul een wachtwoord in."},
		{"short password", "password", "kort", "minstens 10 tekens"},
		{"common password", "password", "wachtwoord123", "komt veel voor"},
		{"unknown neighbourhood", "buurt", "999999", "Kies een buurt uit de lijst."},
		{"junk neighbourhood", "buurt", "abc", "Kies een buurt uit de lijst."},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			v := good()
			v.Set("email", "fout-"+strconv.Itoa(len(tt.name))+"@example.nl")
			v.Set(tt.field, tt.value)
			res := s.Client(t).PostForm("/registreren", v)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", res.StatusCode)
			}
			if !strings.Contains(res.Body, tt.msg) {
				t.Errorf("page lacks %q", tt.msg)
			}
			if !strings.Contains(res.Body, `aria-invalid="true"`) || !strings.Contains(res.Body, `href="#veld-`+tt.field+`"`) {
				t.Errorf("error not tied to field %s", tt.field)
			}
			if strings.Contains(res.Body, "paarse fiets op het dak") {
				t.Error("password sent back in the form")
			}
			if tt.field != "name" && !strings.Contains(res.Body, `value="Nina"`) {
				t.Error("name not kept")
			}
		})
	}

	t.Run("HTML in the name is shown escaped", func(t *testing.T) {
		v := good()
		v.Set("email", "")
		v.Set("name", `<script>alert(1)</script>`)
		res := s.Client(t).PostForm("/registreren", v)
		if strings.Contains(res.Body, "<script>alert(1)") || !strings.Contains(res.Body, "&lt;script&gt;") {
			t.Error("name not escaped")
		}
	})

	t.Run("success asks to confirm by mail and remembers the home neighbourhood", func(t *testing.T) {
		c := s.Client(t)
		v := good()
		v.Set("email", "Nina.Nieuw@Example.nl")
		v.Set("buurt", strconv.FormatInt(places["BU03440201"], 10))
		res := c.PostForm("/registreren", v)
		if res.StatusCode != http.StatusSeeOther || res.Location() != "/registreren/verstuurd" {
			t.Fatalf("status %d to %q", res.StatusCode, res.Location())
		}
		page := c.Get("/registreren/verstuurd")
		for _, want := range []string{"Kijk in je e-mail", "<strong>Nina.Nieuw@Example.nl</strong>", "48 uur"} {
			if !strings.Contains(page.Body, want) {
				t.Errorf("page after registering lacks %q", want)
			}
		}
		// Not logged in until the address is confirmed.
		if r := c.Get("/account"); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Location(), "/inloggen") {
			t.Errorf("GET /account right after registering: %d %q", r.StatusCode, r.Location())
		}
		// Unconfirmed, with its confirmation mail queued and its neighbourhood kept.
		var confirmed bool
		var jobs int
		var home *int64
		if err := s.DB.QueryRow(context.Background(), `SELECT a.email_confirmed_at IS NOT NULL, a.home_neighbourhood_id,
			(SELECT count(*) FROM river_job j WHERE j.kind = 'account_confirm_mail' AND (j.args->>'account_id')::bigint = a.id)
			FROM accounts a WHERE a.email = 'nina.nieuw@example.nl'`).Scan(&confirmed, &home, &jobs); err != nil {
			t.Fatal(err)
		}
		if confirmed || jobs != 1 {
			t.Errorf("after registering: confirmed %v, %d confirmation jobs; want unconfirmed with 1 job", confirmed, jobs)
		}
		if home == nil || *home != places["BU03440201"] {
			t.Errorf("home neighbourhood %v, want %d", home, places["BU03440201"])
		}
	})

	t.Run("logged-in users are sent on from the registration page", func(t *testing.T) {
		c := s.Login(t, "bestaat@example.nl")
		if r := c.Get("/registreren"); r.StatusCode != http.StatusSeeOther || r.Location() != "/account" {
			t.Errorf("GET /registreren when logged in: %d %q", r.StatusCode, r.Location())
		}
		if r := c.PostForm("/registreren", good()); r.StatusCode != http.StatusSeeOther || r.Location() != "/account" {
			t.Errorf("POST /registreren when logged in: %d %q", r.StatusCode, r.Location())
		}
		if n := countAccounts(t, s.DB, "nieuw@example.nl"); n != 0 {
			t.Error("logged-in POST created an account")
		}
	})

	t.Run("honeypot refused quietly", func(t *testing.T) {
		v := good()
		v.Set("email", "bot@example.nl")
		v.Set("website", "http://spam.example")
		res := s.Client(t).PostForm("/registreren", v)
		if res.StatusCode != http.StatusSeeOther || res.Location() != "/" {
			t.Fatalf("status %d to %q", res.StatusCode, res.Location())
		}
		if n := countAccounts(t, s.DB, "bot@example.nl"); n != 0 {
			t.Fatal("bot account created")
		}
	})

	t.Run("double submit creates one account", func(t *testing.T) {
		v := good()
		v.Set("email", "dubbel@example.nl")
		var wg sync.WaitGroup
		statuses := make([]int, 2)
		for i := range statuses {
			c := s.Client(t)
			wg.Go(func() { statuses[i] = c.PostForm("/registreren", v).StatusCode })
		}
		wg.Wait()
		if n := countAccounts(t, s.DB, "dubbel@example.nl"); n != 1 {
			t.Fatalf("%d accounts after a double submit", n)
		}
		// The refused insert rolled back its confirmation mail with it.
		var jobs int
		if err := s.DB.QueryRow(context.Background(), `SELECT count(*) FROM river_job WHERE kind = 'account_confirm_mail'
			AND (args->>'account_id')::bigint = (SELECT id FROM accounts WHERE email = 'dubbel@example.nl')`).Scan(&jobs); err != nil || jobs != 1 {
			t.Errorf("%d confirmation jobs after a double submit (%v), want 1", jobs, err)
		}
		// Both get the same answer: the second found the address taken.
		for _, st := range statuses {
			if st != http.StatusSeeOther {
				t.Errorf("statuses %v, want two 303s", statuses)
			}
		}
	})
}

func TestRegistrationWithoutNeighbourhoods(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	res := s.Client(t).Get("/registreren")
	if res.StatusCode != http.StatusOK || strings.Contains(res.Body, `name="buurt"`) {
		t.Fatalf("status %d; an empty neighbourhood select is shown", res.StatusCode)
	}
}

func TestRegistrationRateLimit(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t, func(c *config.Config) { c.RegisterLimitPerIP = 2 })
	for i := range 2 {
		v := url.Values{"email": {"r" + strconv.Itoa(i) + "@example.nl"}, "name": {"R"}, "password": {"paarse fiets op het dak"}}
		if res := s.Client(t).PostForm("/registreren", v); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("registration %d: %d", i+1, res.StatusCode)
		}
	}
	res := s.Client(t).PostForm("/registreren", url.Values{"email": {"r9@example.nl"}, "name": {"R"}, "password": {"paarse fiets op het dak"}})
	assertLimited(t, res, 3600, "Te veel aanmeldingen vanaf dit internetadres in korte tijd. Probeer het over 60 minuten opnieuw.")
	if !strings.Contains(res.Body, `value="r9@example.nl"`) {
		t.Error("input not kept on the 429 page")
	}
	if countAccounts(t, s.DB, "r9@example.nl") != 0 {
		t.Fatal("limited registration created an account")
	}
}

// mailsTo waits until n mails to addr were sent (they go out through the
// job queue), then a little longer to catch any extra, and returns them.
func mailsTo(t *testing.T, srv *smtptest.Server, addr string, n int) []smtptest.Mail {
	t.Helper()
	var got []smtptest.Mail
	collect := func() {
		got = got[:0]
		for _, m := range srv.Mails() {
			if slices.Contains(m.To, addr) {
				got = append(got, m)
			}
		}
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if collect(); len(got) >= n {
			break
		}
	}
	time.Sleep(500 * time.Millisecond)
	collect()
	if len(got) != n {
		t.Fatalf("%d mails to %s, want %d", len(got), addr, n)
	}
	return got
}

var cookieValue = regexp.MustCompile(`=[^;]*`)

// Registering with an address that has an account answers exactly as for a
// new address: the same status, redirect, page and kind of cookie, nobody
// logged in, and a login with the new password refused the same way. No
// account is made; the owner gets a mail instead.
func TestRegistrationDoesNotRevealAccounts(t *testing.T) {
	t.Parallel()
	smtp := smtptest.Start(t)
	s := testkit.NewMailServer(t, smtp)
	ctx := context.Background()
	owner := s.CreateUser(t, "bestaat@example.nl")

	type answer struct {
		status               int
		location, body       string
		cookie               string // Set-Cookie without its value
		page, account, login string
	}
	try := func(email string) answer {
		c := s.Client(t)
		v := url.Values{"email": {email}, "name": {"Nina"}, "password": {"paarse fiets op het dak"}, "buurt": {""}, "website": {""}}
		post := c.PostForm("/registreren", v)
		hide := strings.NewReplacer(email, "ADRES") // the page names the address typed
		a := answer{status: post.StatusCode, location: post.Location(), body: post.Body,
			cookie: cookieValue.ReplaceAllString(post.Header.Get("Set-Cookie"), "=X")}
		page := c.Get(post.Location())
		a.page = strconv.Itoa(page.StatusCode) + hide.Replace(page.Body)
		acc := c.Get("/account")
		a.account = strconv.Itoa(acc.StatusCode) + " " + acc.Location()
		login := c.PostForm("/inloggen", url.Values{"email": {email}, "password": {"paarse fiets op het dak"}})
		a.login = strconv.Itoa(login.StatusCode) + hide.Replace(login.Body)
		return a
	}
	fresh := try("nieuw@example.nl")
	if fresh.status != http.StatusSeeOther || fresh.location != "/registreren/verstuurd" || fresh.cookie == "" {
		t.Fatalf("new address: %d to %q, cookie %q", fresh.status, fresh.location, fresh.cookie)
	}
	if !strings.HasPrefix(fresh.account, "303 /inloggen") || !strings.HasPrefix(fresh.login, "422") {
		t.Fatalf("new address: /account %s, login %.3s; want not logged in and login refused until confirmed", fresh.account, fresh.login)
	}
	for _, email := range []string{"bestaat@example.nl", "BESTAAT@Example.nl"} {
		t.Run(email, func(t *testing.T) {
			got := try(email)
			for _, d := range []struct{ what, got, want string }{
				{"status", strconv.Itoa(got.status), strconv.Itoa(fresh.status)},
				{"Location", got.location, fresh.location},
				{"body", got.body, fresh.body},
				{"Set-Cookie", got.cookie, fresh.cookie},
				{"next page", got.page, fresh.page},
				{"/account", got.account, fresh.account},
				{"login with the new password", got.login, fresh.login},
			} {
				if d.got != d.want {
					t.Errorf("%s differs from a new address:\n got: %.300s\nwant: %.300s", d.what, d.got, d.want)
				}
			}
		})
	}

	// No second account; the owner's is untouched.
	if n := countAccounts(t, s.DB, "bestaat@example.nl"); n != 1 {
		t.Fatalf("%d accounts for the taken address", n)
	}
	after, err := account.NewStore(s.DB).ByID(ctx, owner.ID)
	if err != nil {
		t.Fatal(err)
	}
	if after.PasswordHash != owner.PasswordHash || after.DisplayName != owner.DisplayName || !after.PasswordChangedAt.Equal(owner.PasswordChangedAt) {
		t.Error("the owner's account changed")
	}
	if n := confirmJobs(t, s, owner.ID); n != 0 {
		t.Errorf("%d confirmation mails queued for the owner", n)
	}
	// The owner hears of each attempt, with a way in.
	for _, m := range mailsTo(t, smtp, "bestaat@example.nl", 2) {
		if subject := m.Header.Get("Subject"); subject != "Iemand wilde een account maken met jouw e-mailadres" {
			t.Errorf("subject %q", subject)
		}
		for _, want := range []string{"Hallo bestaat,", "er is geen tweede gemaakt", "http://localhost:8080/inloggen", "http://localhost:8080/wachtwoord-vergeten"} {
			if !strings.Contains(m.Text, want) {
				t.Errorf("notice lacks %q:\n%s", want, m.Text)
			}
		}
	}
	// The new address gets its confirmation, and no notice.
	if m := mailsTo(t, smtp, "nieuw@example.nl", 1)[0]; m.Header.Get("Subject") != "Bevestig je e-mailadres voor Buurtkracht" {
		t.Errorf("mail to the new address: %q", m.Header.Get("Subject"))
	}
}

// The owner of a taken address hears of a few attempts an hour, not of
// every one: the form must not flood an inbox.
func TestRegistrationNoticeLimited(t *testing.T) {
	t.Parallel()
	smtp := smtptest.Start(t)
	s := testkit.NewMailServer(t, smtp)
	s.CreateUser(t, "vol@example.nl")
	for range 5 {
		v := url.Values{"email": {"vol@example.nl"}, "name": {"X"}, "password": {"paarse fiets op het dak"}}
		if res := s.Client(t).PostForm("/registreren", v); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("status %d", res.StatusCode)
		}
	}
	mailsTo(t, smtp, "vol@example.nl", 3)
}
