package account_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/account"
	"github.com/buurtkracht/buurtkracht/internal/apitoken"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// A person's API tokens end when the password changes or is reset, and when
// an administrator takes away any of their roles; adding a role, or saving
// the same roles, leaves them working.
func TestTokensEndWithPasswordOrRole(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	ctx := context.Background()
	places := seedPlaces(t, s.DB)
	area := strconv.FormatInt(places["BU03440101"], 10)
	var utrecht int64
	if err := s.DB.QueryRow(ctx, `SELECT id FROM municipalities WHERE code = 'GM0344'`).Scan(&utrecht); err != nil {
		t.Fatal(err)
	}
	gm := strconv.FormatInt(utrecht, 10)
	s.CreateUser(t, "beheer@example.nl", role.Admin)
	admin := s.Login(t, "beheer@example.nl")
	tokens := apitoken.NewStore(s.DB)
	accounts := account.NewStore(s.DB)

	assign := func(t *testing.T, id int64, form url.Values) {
		t.Helper()
		if res := admin.PostForm("/beheer/accounts/"+strconv.FormatInt(id, 10)+"/rollen", form); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("assign roles: %d\n%s", res.StatusCode, res.Body)
		}
	}
	cases := []struct {
		name  string
		roles []role.Role
		act   func(t *testing.T, acc account.Account)
		ends  bool
	}{
		{"password changed", []role.Role{role.Worker}, func(t *testing.T, acc account.Account) {
			c := s.Login(t, acc.Email)
			res := c.PostForm("/account/wachtwoord", url.Values{"current_password": {testkit.Password}, "new_password": {"nieuwe lange zin hier"}})
			if res.StatusCode != http.StatusSeeOther {
				t.Fatalf("change password: %d", res.StatusCode)
			}
		}, true},
		{"password reset", []role.Role{role.Worker}, func(t *testing.T, acc account.Account) {
			const link = "een-test-link-voor-herstel-van-het-wachtwoord"
			sum := sha256.Sum256([]byte(link))
			if err := accounts.CreateReset(ctx, acc.ID, sum[:], time.Now().Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			res := s.Client(t).PostForm("/wachtwoord-herstellen", url.Values{"token": {link}, "password": {"heel nieuw wachtwoord"}})
			if res.StatusCode != http.StatusSeeOther {
				t.Fatalf("reset: %d", res.StatusCode)
			}
		}, true},
		{"worker role taken away", []role.Role{role.Worker}, func(t *testing.T, acc account.Account) {
			assign(t, acc.ID, url.Values{})
		}, true},
		{"another role taken away, worker kept", []role.Role{role.Worker, role.Officer}, func(t *testing.T, acc account.Account) {
			assign(t, acc.ID, url.Values{"rollen": {"worker"}, "werkgebied": {area}})
		}, true},
		{"role added", []role.Role{role.Worker}, func(t *testing.T, acc account.Account) {
			assign(t, acc.ID, url.Values{"rollen": {"worker", "officer"}, "werkgebied": {area}, "gemeente": {gm}})
		}, false},
		{"same roles saved again", []role.Role{role.Worker}, func(t *testing.T, acc account.Account) {
			assign(t, acc.ID, url.Values{"rollen": {"worker"}, "werkgebied": {area}})
		}, false},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			acc := s.CreateUser(t, "werker"+strconv.Itoa(i)+"@example.nl", tc.roles...)
			if _, err := s.DB.Exec(ctx, `INSERT INTO account_work_areas (account_id, neighbourhood_id) VALUES ($1, $2)`, acc.ID, places["BU03440101"]); err != nil {
				t.Fatal(err)
			}
			if tc.roles[len(tc.roles)-1] == role.Officer {
				if _, err := s.DB.Exec(ctx, `UPDATE accounts SET municipality_id = $2 WHERE id = $1`, acc.ID, utrecht); err != nil {
					t.Fatal(err)
				}
			}
			_, phone, err := tokens.Create(ctx, acc.ID, "telefoon", apitoken.DefaultLifetime)
			if err != nil {
				t.Fatal(err)
			}
			_, tablet, err := tokens.Create(ctx, acc.ID, "tablet", 365)
			if err != nil {
				t.Fatal(err)
			}
			tc.act(t, acc)
			for _, secret := range []string{phone, tablet} {
				_, err := tokens.Use(ctx, secret)
				switch {
				case tc.ends && !errors.Is(err, apitoken.ErrInvalid):
					t.Errorf("token still works: %v", err)
				case !tc.ends && err != nil:
					t.Errorf("token ended: %v", err)
				}
			}
			list, err := tokens.List(ctx, acc.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, tok := range list {
				if (tok.RevokedAt != nil) != tc.ends {
					t.Errorf("token %s: revoked at %v", tok.Name, tok.RevokedAt)
				}
			}
		})
	}
}
