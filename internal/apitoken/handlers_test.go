package apitoken_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/apitoken"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
	"github.com/buurtkracht/buurtkracht/web/dutch"
)

var secretRE = regexp.MustCompile(`bk_[A-Za-z0-9_-]{43}`)

// bearer calls the contacts API with secret ("" sends no header).
func bearer(t *testing.T, s *testkit.Server, secret string) testkit.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, s.URL+"/api/v1/contacts", nil)
	if err != nil {
		t.Fatal(err)
	}
	if secret != "" {
		req.Header.Set("Authorization", "Bearer "+secret)
	}
	return s.Client(t).Do(req)
}

func tokenCount(t *testing.T, s *testkit.Server, accountID int64) int {
	t.Helper()
	var n int
	if err := s.DB.QueryRow(context.Background(), `SELECT count(*) FROM api_tokens WHERE account_id = $1`, accountID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Making a token asks for the password and a lifetime; a refused form keeps
// the input (never the password) and names the problem at its field.
func TestCreateTokenAsksPassword(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	w := s.CreateUser(t, "ow@example.nl", role.Worker)
	c := s.Login(t, "ow@example.nl")

	if page := c.Get("/account"); !strings.Contains(page.Body, `name="token_password"`) ||
		!regexp.MustCompile(`name="token_days" value="90" checked`).MatchString(page.Body) {
		t.Fatal("the token form lacks the password field or the preselected 90 days")
	}

	bad := []struct {
		name, days, password string
		field, msg           string
	}{
		{"no password", "90", "", "token_password", "Vul je wachtwoord in."},
		{"wrong password", "90", "niet-mijn-wachtwoord", "token_password", "Dit wachtwoord klopt niet."},
		{"unknown lifetime", "1000", testkit.Password, "token_days", "Kies hoe lang de token werkt."},
		{"no lifetime", "", testkit.Password, "token_days", "Kies hoe lang de token werkt."},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			res := c.PostForm("/account/tokens", url.Values{"token_name": {"Telefoon"}, "token_days": {tt.days}, "token_password": {tt.password}})
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", res.StatusCode)
			}
			if !strings.Contains(res.Body, `id="veld-`+tt.field+`-fout"`) {
				t.Errorf("no error at field %s", tt.field)
			}
			if !strings.Contains(res.Body, tt.msg) || !strings.Contains(res.Body, `href="#veld-`+tt.field+`"`) {
				t.Errorf("page lacks %q tied to %s", tt.msg, tt.field)
			}
			if !strings.Contains(res.Body, `value="Telefoon"`) {
				t.Error("token name not kept")
			}
			if tt.password != "" && strings.Contains(res.Body, tt.password) {
				t.Error("password sent back")
			}
			if n := tokenCount(t, s, w.ID); n != 0 {
				t.Fatalf("%d tokens made by a refused form", n)
			}
		})
	}

	t.Run("made with the chosen lifetime, which the list shows", func(t *testing.T) {
		res := c.PostForm("/account/tokens", url.Values{"token_name": {"Telefoon"}, "token_days": {"30"}, "token_password": {testkit.Password}})
		if res.StatusCode != http.StatusSeeOther || res.Location() != "/account#api-tokens" {
			t.Fatalf("create: %d to %q\n%s", res.StatusCode, res.Location(), res.Body)
		}
		page := c.Get("/account")
		secret := secretRE.FindString(page.Body)
		if secret == "" {
			t.Fatal("new token not shown")
		}
		var days float64
		var expires time.Time
		if err := s.DB.QueryRow(context.Background(), `SELECT extract(epoch FROM expires_at - created_at) / 86400, expires_at
			FROM api_tokens WHERE account_id = $1`, w.ID).Scan(&days, &expires); err != nil || days != 30 {
			t.Fatalf("token works %v days (%v), want 30", days, err)
		}
		if want := `data-testid="token-expires">` + expires.In(dutch.Amsterdam).Format("02-01-2006"); !strings.Contains(page.Body, want) {
			t.Errorf("token list lacks the expiry date %s", want)
		}
		if res := bearer(t, s, secret); res.StatusCode == http.StatusUnauthorized {
			t.Error("the new token is refused")
		}
	})
}

// Wrong passwords on the token form count with failed logins.
func TestCreateTokenGuessingIsLimited(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t) // 5 failures per address per 15 minutes
	w := s.CreateUser(t, "gok@example.nl", role.Worker)
	c := s.Login(t, "gok@example.nl")
	for i := range 5 {
		res := c.PostForm("/account/tokens", url.Values{"token_name": {"x"}, "token_days": {"90"}, "token_password": {"gok-" + strconv.Itoa(i)}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("guess %d: %d", i+1, res.StatusCode)
		}
	}
	res := c.PostForm("/account/tokens", url.Values{"token_name": {"x"}, "token_days": {"90"}, "token_password": {testkit.Password}})
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" ||
		!strings.Contains(res.Body, "Te veel pogingen met een verkeerd wachtwoord") || !strings.Contains(res.Body, `value="x"`) {
		t.Fatalf("after 5 wrong passwords: %d", res.StatusCode)
	}
	if n := tokenCount(t, s, w.ID); n != 0 {
		t.Fatalf("%d tokens made while limited", n)
	}
	// The same count closes the login.
	if res := s.Client(t).PostForm("/inloggen", url.Values{"email": {"gok@example.nl"}, "password": {testkit.Password}}); res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("login after 5 wrong token passwords: %d", res.StatusCode)
	}
}

// An expired token gets the very answer an unknown one gets, and the list
// says it expired.
func TestExpiredTokenRefused(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	ctx := context.Background()
	w := s.CreateUser(t, "ow@example.nl", role.Worker)
	st := apitoken.NewStore(s.DB)
	mk := func(name string) (apitoken.Token, string) {
		tok, secret, err := st.Create(ctx, w.ID, name, apitoken.DefaultLifetime)
		if err != nil {
			t.Fatal(err)
		}
		return tok, secret
	}
	_, live := mk("live")
	old, expired := mk("verlopen")
	gone, revoked := mk("ingetrokken")
	if _, err := s.DB.Exec(ctx, `UPDATE api_tokens SET created_at = now() - interval '91 days', expires_at = now() - interval '1 second'
		WHERE id = $1`, old.ID); err != nil {
		t.Fatal(err)
	}
	if err := st.Revoke(ctx, w.ID, gone.ID); err != nil {
		t.Fatal(err)
	}
	unknown := "bk_" + strings.Repeat("A", 43)

	refused := bearer(t, s, unknown)
	if refused.StatusCode != http.StatusUnauthorized || !strings.Contains(refused.Body, "onbekend, verlopen of ingetrokken") {
		t.Fatalf("unknown token: %d %s", refused.StatusCode, refused.Body)
	}
	for _, tc := range []struct {
		name, secret string
		works        bool
	}{
		{"live", live, true},
		{"expired", expired, false},
		{"revoked", revoked, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := bearer(t, s, tc.secret)
			if tc.works {
				if res.StatusCode == http.StatusUnauthorized {
					t.Fatalf("refused: %s", res.Body)
				}
				return
			}
			if res.StatusCode != refused.StatusCode || res.Body != refused.Body ||
				res.Header.Get("WWW-Authenticate") != refused.Header.Get("WWW-Authenticate") {
				t.Errorf("answer %d %q differs from an unknown token's %d %q", res.StatusCode, res.Body, refused.StatusCode, refused.Body)
			}
			if _, err := st.Use(ctx, tc.secret); err == nil {
				t.Error("Use accepts it")
			}
		})
	}
	page := s.Login(t, "ow@example.nl").Get("/account")
	if !regexp.MustCompile(`verlopen</td>`).MatchString(strings.ReplaceAll(page.Body, "\n", "")) {
		t.Error("the list does not say the token expired")
	}
}
