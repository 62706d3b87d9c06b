package sso_test

import (
	"context"
	"crypto/sha256"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// testOP is a real OpenID Provider (zitadel's op package on its example
// in-memory storage) on httptest. Whoever reaches its login page is logged
// in at once as the user set with As, so a test can follow the redirects.
type testOP struct {
	URL   string
	store *opStorage
	mu    sync.Mutex
	user  string
}

const (
	opClientID     = "buurtkracht"
	opClientSecret = "geheim-van-de-gemeente"
	userPassword   = "op-wachtwoord"
)

// users of every test OP, by id.
var opUsers = map[string]*storage.User{
	"wim":         {ID: "wim", Username: "wim", Password: userPassword, Email: "Wim@Welzijn.nl", EmailVerified: true},
	"onbekend":    {ID: "onbekend", Username: "onbekend", Password: userPassword, Email: "nieuw@welzijn.nl", EmailVerified: true},
	"elders":      {ID: "elders", Username: "elders", Password: userPassword, Email: "wim@elders.nl", EmailVerified: true},
	"onbevestigd": {ID: "onbevestigd", Username: "onbevestigd", Password: userPassword, Email: "wim@welzijn.nl", EmailVerified: false},
}

type userStore struct{}

func (userStore) GetUserByID(id string) *storage.User { return opUsers[id] }
func (userStore) GetUserByUsername(name string) *storage.User {
	return opUsers[name]
}
func (userStore) ExampleClientID() string { return opClientID }

// opStorage is the example storage with two faults a test can switch on:
// ID tokens that are already expired, and a nonce other than the one asked.
type opStorage struct {
	*storage.Storage
	expired    bool
	wrongNonce bool
	// mfa: the provider says (amr) that the person used a second factor.
	mfa bool
}

type expiredClient struct{ op.Client }

func (expiredClient) IDTokenLifetime() time.Duration { return -time.Hour }

func (s *opStorage) GetClientByClientID(ctx context.Context, id string) (op.Client, error) {
	c, err := s.Storage.GetClientByClientID(ctx, id)
	if err != nil || !s.expired {
		return c, err
	}
	return expiredClient{c}, nil
}

type otherNonce struct{ op.AuthRequest }

func (otherNonce) GetNonce() string { return "een-andere-nonce" }

type withMFA struct{ op.AuthRequest }

func (withMFA) GetAMR() []string { return []string{"pwd", "mfa"} }

func (s *opStorage) AuthRequestByCode(ctx context.Context, code string) (op.AuthRequest, error) {
	req, err := s.Storage.AuthRequestByCode(ctx, code)
	switch {
	case err != nil:
		return req, err
	case s.wrongNonce:
		return otherNonce{req}, nil
	case s.mfa:
		return withMFA{req}, nil
	}
	return req, nil
}

// newTestOP starts a provider that knows the platform's redirect URI.
func newTestOP(t *testing.T, redirectURI string, adjust func(*opStorage)) *testOP {
	t.Helper()
	o := &testOP{user: "wim"}
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	o.URL = srv.URL
	client := storage.WebClient(opClientID, opClientSecret, redirectURI)
	o.store = &opStorage{Storage: storage.NewStorageWithClients(userStore{}, map[string]*storage.Client{opClientID: client})}
	if adjust != nil {
		adjust(o.store)
	}
	provider, err := op.NewProvider(&op.Config{CryptoKey: sha256.Sum256([]byte(t.Name())), CodeMethodS256: true, AuthMethodPost: true},
		o.store, op.StaticIssuer(srv.URL), op.WithAllowInsecure())
	if err != nil {
		t.Fatal(err)
	}
	// The example client's login page: log in as the chosen user at once.
	mux.HandleFunc("/login/username", func(w http.ResponseWriter, r *http.Request) {
		id := r.URL.Query().Get("authRequestID")
		o.mu.Lock()
		user := o.user
		o.mu.Unlock()
		if err := o.store.CheckUsernamePassword(user, userPassword, id); err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		}
		http.Redirect(w, r, srv.URL+"/authorize/callback?id="+url.QueryEscape(id), http.StatusFound)
	})
	mux.Handle("/", provider)
	return o
}

// As sets who logs in at the provider next.
func (o *testOP) As(user string) {
	o.mu.Lock()
	o.user = user
	o.mu.Unlock()
}

// follow walks the provider's redirects from an authorisation URL until
// one leaves the provider, and returns that URL (the platform's callback).
func (o *testOP) follow(t *testing.T, authURL string) *url.URL {
	t.Helper()
	c := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(req *http.Request, _ []*http.Request) error {
		if !strings.HasPrefix(req.URL.String(), o.URL) {
			return http.ErrUseLastResponse
		}
		return nil
	}}
	res, err := c.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	loc, err := res.Location()
	if err != nil {
		t.Fatalf("provider did not redirect back: status %d", res.StatusCode)
	}
	return loc
}
