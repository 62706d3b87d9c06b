package account_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/buurtkracht/buurtkracht/internal/account"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// trackedCtx returns a context as Track gives it to a request.
func trackedCtx(t *testing.T, st *account.SessionStore) context.Context {
	t.Helper()
	var ctx context.Context
	st.Track(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { ctx = r.Context() })).
		ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
	return ctx
}

func encode(t *testing.T, values map[string]any, deadline time.Time) []byte {
	t.Helper()
	b, err := scs.GobCodec{}.Encode(deadline, values)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSessionStoreSkipsExpiryOnlyWrites(t *testing.T) {
	t.Parallel()
	pool := testkit.NewPool(t)
	deadline := time.Now().Add(12 * time.Hour).UTC().Truncate(time.Microsecond)
	stored := time.Now().Add(2 * time.Hour).UTC().Truncate(time.Microsecond)
	values := map[string]any{"userID": int64(7), "pwChanged": int64(12345), "a": "x", "b": "y", "c": "z"}
	changed := map[string]any{"userID": int64(7), "pwChanged": int64(12345), "a": "x", "b": "y", "c": "z", "flash": "Opgeslagen."}

	cases := []struct {
		name      string
		tracked   bool // the request went through Track
		values    map[string]any
		later     time.Duration // new expiry minus the stored one
		deleted   bool          // another instance deleted the session between find and commit
		wantWrite bool
	}{
		{"unchanged, expiry 30 s later", true, values, 30 * time.Second, false, false},
		{"unchanged, expiry 2 min later", true, values, 2 * time.Minute, false, true},
		{"data changed", true, changed, 30 * time.Second, false, true},
		{"not tracked: always written", false, values, 30 * time.Second, false, true},
		{"logged out elsewhere: not written back", true, values, 30 * time.Second, true, false},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st := account.NewSessionStore(pool, time.Minute)
			token := "tok-" + string(rune('a'+i))
			ctx := context.Background()
			if err := st.CommitCtx(ctx, token, encode(t, values, deadline), stored); err != nil {
				t.Fatal(err)
			}
			if tc.tracked {
				ctx = trackedCtx(t, st)
			}
			if _, found, err := st.FindCtx(ctx, token); err != nil || !found {
				t.Fatalf("find: %v %v", found, err)
			}
			if tc.deleted {
				if err := st.DeleteCtx(context.Background(), token); err != nil {
					t.Fatal(err)
				}
			}
			// Encoded afresh: gob may write the map in another order.
			newExpiry := stored.Add(tc.later)
			if err := st.CommitCtx(ctx, token, encode(t, tc.values, deadline), newExpiry); err != nil {
				t.Fatal(err)
			}
			var got time.Time
			var n int
			if err := pool.QueryRow(context.Background(), `SELECT count(*), max(expiry) FROM sessions WHERE token = $1`, token).Scan(&n, &got); err != nil && !tc.deleted {
				t.Fatal(err)
			}
			switch {
			case tc.deleted && n != 0:
				t.Errorf("a session deleted elsewhere was written back")
			case tc.deleted:
			case tc.wantWrite && !got.Equal(newExpiry):
				t.Errorf("expiry %s, want the new %s (written)", got, newExpiry)
			case !tc.wantWrite && !got.Equal(stored):
				t.Errorf("expiry %s, want the stored %s (no write)", got, stored)
			}
		})
	}
}

// Through the platform: page views do not rewrite the session row; a view
// after more than a minute moves the idle expiry.
func TestPageViewsDoNotRewriteTheSession(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	s.CreateUser(t, "joke@example.nl")
	c := s.Login(t, "joke@example.nl")
	token := sessionCookie(t, s, c)
	expiry := func() time.Time {
		t.Helper()
		var e time.Time
		if err := s.DB.QueryRow(context.Background(), `SELECT expiry FROM sessions WHERE token = $1`, token).Scan(&e); err != nil {
			t.Fatal(err)
		}
		return e
	}
	// The first page shows (and so removes) the login's flash message: a real change.
	if res := c.Get("/account"); res.StatusCode != http.StatusOK {
		t.Fatalf("account page: %d", res.StatusCode)
	}
	first := expiry()
	for range 3 {
		if res := c.Get("/account"); res.StatusCode != http.StatusOK {
			t.Fatalf("account page: %d", res.StatusCode)
		}
	}
	if got := expiry(); !got.Equal(first) {
		t.Errorf("expiry moved from %s to %s on page views within a minute", first, got)
	}
	// As if the last write was two minutes ago.
	if _, err := s.DB.Exec(context.Background(), `UPDATE sessions SET expiry = expiry - interval '2 minutes' WHERE token = $1`, token); err != nil {
		t.Fatal(err)
	}
	back := expiry()
	if res := c.Get("/account"); res.StatusCode != http.StatusOK {
		t.Fatalf("account page: %d", res.StatusCode)
	}
	if got := expiry(); !got.After(back.Add(time.Minute)) {
		t.Errorf("expiry %s not moved forward from %s", got, back)
	}
}
