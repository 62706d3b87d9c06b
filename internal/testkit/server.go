package testkit

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/buurtkracht/buurtkracht/internal/account"
	"github.com/buurtkracht/buurtkracht/internal/app"
	"github.com/buurtkracht/buurtkracht/internal/config"
	"github.com/buurtkracht/buurtkracht/internal/mail"
	"github.com/buurtkracht/buurtkracht/internal/notify"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/smtptest"
)

// Password is the password of every account made by CreateUser.
const Password = "test-wachtwoord-42"

// Server is the whole platform on a fresh database behind httptest.
type Server struct {
	URL  string
	DB   *pgxpool.Pool
	App  *app.App
	Cfg  config.Config
	Mail *MailBox
}

// ServerOption adjusts the configuration before the app is built.
type ServerOption func(*config.Config)

// NewServer starts the platform on its own database; it stops at test end.
func NewServer(t testing.TB, opts ...ServerOption) *Server {
	t.Helper()
	cfg := TestConfig()
	for _, o := range opts {
		o(&cfg)
	}
	pool := NewPool(t)
	box := &MailBox{}
	a := app.New(cfg, pool, app.Options{Mailer: box})
	ts := httptest.NewServer(a.Handler())
	t.Cleanup(func() {
		ts.Close()
		a.Close()
	})
	return &Server{URL: ts.URL, DB: pool, App: a, Cfg: cfg, Mail: box}
}

// NewMailServer starts the platform like NewServer, but with mail going over
// real SMTP to srv and the job queue running (short timeouts, quick polling),
// so a test sees the e-mails the platform really sends.
func NewMailServer(t testing.TB, srv *smtptest.Server, opts ...ServerOption) *Server {
	t.Helper()
	// The job queue holds connections of its own (its listener, the jobs
	// that run in a transaction), so this platform gets more than NewPool's.
	return NewMailServerOn(t, OpenPool(t, NewDB(t), 10), srv, opts...)
}

// NewMailServerOn is NewMailServer on an existing pool (OpenPool, with room
// for the job queue): two of them on pools of one database are two
// instances of the platform.
func NewMailServerOn(t testing.TB, pool *pgxpool.Pool, srv *smtptest.Server, opts ...ServerOption) *Server {
	t.Helper()
	cfg := TestConfig()
	cfg.SMTPHost, cfg.SMTPPort, cfg.SMTPTLS = srv.Host, srv.Port, "none"
	for _, o := range opts {
		o(&cfg)
	}
	a := app.New(cfg, pool, app.Options{Queue: QueueOptions()})
	if err := a.StartJobs(context.Background()); err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(a.Handler())
	t.Cleanup(func() {
		ts.Close()
		a.Close()
	})
	return &Server{URL: ts.URL, DB: pool, App: a, Cfg: cfg}
}

// QueueOptions are the job queue settings of tests: a crashed job is taken
// up again after seconds instead of minutes.
func QueueOptions() notify.QueueOptions {
	return notify.QueueOptions{JobTimeout: 3 * time.Second, RescueAfter: 4 * time.Second, PollInterval: 100 * time.Millisecond,
		PlanEvery: time.Hour, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

// TestConfig is the configuration tests start from.
func TestConfig() config.Config {
	return config.Config{
		Env: "test", Addr: "127.0.0.1:0", BaseURL: "http://localhost:8080", LogLevel: "warn",
		SessionIdle: time.Hour, SessionLifetime: 2 * time.Hour,
		LoginLimitPerIP: 1000, LoginLimitPerAccount: 5, RegisterLimitPerIP: 1000,
		DemoPassword: "buurtkracht-demo", NotesRetention: 365 * 24 * time.Hour, ShutdownGrace: 2 * time.Second,
		MailFrom: "Buurtkracht <noreply@buurtkracht.nl>", SMTPTLS: "none", NotificationsRetention: 180 * 24 * time.Hour,
	}
}

// CreateUser inserts an account with the given roles (resident when none)
// and password Password, straight into the database.
func (s *Server) CreateUser(t testing.TB, email string, roles ...role.Role) account.Account {
	t.Helper()
	hash, err := account.HashPassword(Password)
	if err != nil {
		t.Fatal(err)
	}
	name := strings.SplitN(email, "@", 2)[0]
	a, err := account.NewStore(s.DB).Create(context.Background(), account.NewAccount{
		Email: email, DisplayName: name, PasswordHash: hash, Roles: roles, Confirmed: true,
	})
	if err != nil {
		t.Fatalf("create user %s: %v", email, err)
	}
	return a
}

// Client is a browser-like HTTP client with its own cookie jar that does not
// follow redirects, so tests can assert on them.
type Client struct {
	t    testing.TB
	base string
	HTTP *http.Client
	// Header is sent with every request (e.g. Origin for CSRF tests).
	Header http.Header
}

// Client returns a new anonymous client for s.
func (s *Server) Client(t testing.TB) *Client {
	jar, _ := cookiejar.New(nil)
	return &Client{t: t, base: s.URL, Header: http.Header{}, HTTP: &http.Client{
		Jar:     jar,
		Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}}
}

// Login returns a client logged in as email (password Password). It fails
// the test when login does not redirect.
func (s *Server) Login(t testing.TB, email string) *Client {
	t.Helper()
	c := s.Client(t)
	res := c.PostForm("/inloggen", url.Values{"email": {email}, "password": {Password}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("login %s: status %d: %s", email, res.StatusCode, res.Body)
	}
	return c
}

// Response is a read response.
type Response struct {
	StatusCode int
	Header     http.Header
	Body       string
}

// Location returns the redirect target.
func (r Response) Location() string { return r.Header.Get("Location") }

// Do sends req and reads the whole response.
func (c *Client) Do(req *http.Request) Response {
	c.t.Helper()
	for k, v := range c.Header {
		req.Header[k] = v
	}
	res, err := c.HTTP.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatalf("%s %s: read body: %v", req.Method, req.URL, err)
	}
	return Response{StatusCode: res.StatusCode, Header: res.Header, Body: string(b)}
}

// Get fetches path.
func (c *Client) Get(path string) Response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.base+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.Do(req)
}

// PostForm posts form values to path.
func (c *Client) PostForm(path string, v url.Values) Response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(v.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.Do(req)
}

// PostJSON posts a JSON body to path.
func (c *Client) PostJSON(path, body string) Response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	return c.Do(req)
}

// MailBox collects the e-mails the app sends during a test.
type MailBox struct {
	mu   sync.Mutex
	msgs []mail.Message
}

// Send implements mail.Sender.
func (m *MailBox) Send(_ context.Context, msg mail.Message) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.msgs = append(m.msgs, msg)
	return nil
}

// Messages returns the messages sent so far.
func (m *MailBox) Messages() []mail.Message {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]mail.Message(nil), m.msgs...)
}
