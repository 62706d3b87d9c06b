// Package config reads the platform's settings from environment variables.
// Every setting has a default that works on a developer's machine; README.md
// lists them all.
package config

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/mail"
	"net/netip"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/role"
)

// Config holds every setting of the platform.
type Config struct {
	Env         string // APP_ENV: development, test or production
	Addr        string // ADDR: listen address
	BaseURL     string // BASE_URL: public URL, used in e-mails and to decide on Secure cookies
	DatabaseURL string // DATABASE_URL
	// DATABASE_DIRECT_URL: a connection straight to the primary, for what
	// needs a session of its own (migrations under their advisory lock, the
	// job queue's LISTEN). Empty: DATABASE_URL. Set it when DATABASE_URL
	// points at a pooler such as PgBouncer in transaction mode.
	DatabaseDirectURL string
	// DATABASE_READ_URL: an optional streaming replica; the overview, the
	// exports, the open-data API and the public lists read from it while it
	// lags at most DatabaseReadMaxLag (DATABASE_READ_MAX_LAG, default 30s).
	DatabaseReadURL    string
	DatabaseReadMaxLag time.Duration
	// PAGE_CACHE_TTL: how long an anonymous visitor's public page may be
	// served from memory (default 10s; 0 turns the cache off).
	PageCacheTTL time.Duration
	LogLevel     string // LOG_LEVEL: debug, info, warn, error

	SecureCookies   bool          // SECURE_COOKIES: defaults to true when BASE_URL is https
	SessionIdle     time.Duration // SESSION_IDLE_TIMEOUT
	SessionLifetime time.Duration // SESSION_LIFETIME

	LoginLimitPerIP      int // LOGIN_LIMIT_PER_IP: attempts per IP per 15 minutes
	LoginLimitPerAccount int // LOGIN_LIMIT_PER_ACCOUNT: failed attempts per account per 15 minutes
	RegisterLimitPerIP   int // REGISTER_LIMIT_PER_IP: registrations per IP per hour

	// TRUSTED_PROXIES: comma-separated addresses or CIDR ranges of the reverse
	// proxies in front of the platform. Only for requests from these is
	// X-Forwarded-For believed; empty means the connection's address counts.
	TrustedProxies []netip.Prefix

	SMTPHost     string // SMTP_HOST: empty means mail is written to the log
	SMTPPort     int    // SMTP_PORT
	SMTPUsername string // SMTP_USERNAME
	SMTPPassword string // SMTP_PASSWORD
	MailFrom     string // MAIL_FROM
	SMTPTLS      string // SMTP_TLS: starttls (required, the default), opportunistic, tls (port 465) or none

	// NOTIFICATIONS_RETENTION: notifications older than this are deleted.
	NotificationsRetention time.Duration

	DemoPassword   string        // DEMO_PASSWORD
	NotesRetention time.Duration // NOTES_RETENTION: how long private notes are kept
	ShutdownGrace  time.Duration // SHUTDOWN_TIMEOUT
	DataDir        string        // DATA_DIR: where `make run` keeps a private PostgreSQL cluster

	// The public statements (internal/statement): who answers for the data,
	// where people send questions, and the security.txt fields.
	PrivacyController  string    // PRIVACY_CONTROLLER: organisation responsible for the data (AVG controller)
	ContactEmail       string    // CONTACT_EMAIL: address for privacy and accessibility questions
	SecurityContact    string    // SECURITY_CONTACT: security.txt Contact URI (mailto:, https: or tel:)
	SecurityTxtExpires time.Time // SECURITY_TXT_EXPIRES: security.txt Expires (RFC 3339); default start + SecurityTxtDefaultExpiry

	// SSO_SECRET_KEY: base64 of 32 random bytes; encrypts the client secrets
	// of the organisations' sign-on (internal/sso) at rest. Empty: secrets
	// can only be references to SSO_SECRET_* environment variables.
	SSOSecretKey string

	// Two-factor authentication (internal/mfa).
	Require2FARoles []role.Role // REQUIRE_2FA_ROLES: roles that must use a second factor (Dutch or English names)
	// MFA_KEY: base64 of 32 random bytes; encrypts the TOTP secrets at rest.
	// Required in production; elsewhere empty means a fixed development key.
	MFAKey string
}

// Defaults of the statement settings. A Config built by hand (tests, tools)
// leaves those fields empty; the statement package falls back to these.
const (
	DefaultPrivacyController = "de organisatie die Buurtkracht aanbiedt"
	DefaultContactEmail      = "privacy@buurtkracht.nl"
	DefaultSecurityContact   = "mailto:security@buurtkracht.nl"
	// SecurityTxtDefaultExpiry is how far after start-up security.txt
	// expires when SECURITY_TXT_EXPIRES is not set: just under a year, as
	// RFC 9116 recommends. Set the variable in production, so that a person
	// reviews the file before the date passes.
	SecurityTxtDefaultExpiry = 364 * 24 * time.Hour
)

// Load reads the environment and applies defaults. It fails on values that
// cannot be parsed, naming the variable.
func Load() (Config, error) {
	return load(os.Getenv)
}

func load(getenv func(string) string) (Config, error) {
	e := envReader{get: getenv}
	c := Config{
		Env:                    e.str("APP_ENV", "development"),
		Addr:                   e.str("ADDR", ":8080"),
		BaseURL:                strings.TrimRight(e.str("BASE_URL", "http://localhost:8080"), "/"),
		DatabaseURL:            e.str("DATABASE_URL", ""),
		DatabaseDirectURL:      e.str("DATABASE_DIRECT_URL", ""),
		DatabaseReadURL:        e.str("DATABASE_READ_URL", ""),
		DatabaseReadMaxLag:     e.duration("DATABASE_READ_MAX_LAG", 30*time.Second),
		PageCacheTTL:           e.duration("PAGE_CACHE_TTL", 10*time.Second),
		LogLevel:               e.str("LOG_LEVEL", "info"),
		SessionIdle:            e.duration("SESSION_IDLE_TIMEOUT", 2*time.Hour),
		SessionLifetime:        e.duration("SESSION_LIFETIME", 12*time.Hour),
		LoginLimitPerIP:        e.int("LOGIN_LIMIT_PER_IP", 20),
		LoginLimitPerAccount:   e.int("LOGIN_LIMIT_PER_ACCOUNT", 5),
		RegisterLimitPerIP:     e.int("REGISTER_LIMIT_PER_IP", 10),
		TrustedProxies:         e.prefixes("TRUSTED_PROXIES"),
		SMTPHost:               e.str("SMTP_HOST", ""),
		SMTPPort:               e.int("SMTP_PORT", 1025),
		SMTPUsername:           e.str("SMTP_USERNAME", ""),
		SMTPPassword:           e.str("SMTP_PASSWORD", ""),
		MailFrom:               e.str("MAIL_FROM", "Buurtkracht <noreply@buurtkracht.nl>"),
		SMTPTLS:                e.str("SMTP_TLS", "starttls"),
		NotificationsRetention: e.duration("NOTIFICATIONS_RETENTION", 180*24*time.Hour),
		DemoPassword:           e.str("DEMO_PASSWORD", "buurtkracht-demo"),
		NotesRetention:         e.duration("NOTES_RETENTION", 365*24*time.Hour),
		ShutdownGrace:          e.duration("SHUTDOWN_TIMEOUT", 10*time.Second),
		DataDir:                e.str("DATA_DIR", ".data"),
		PrivacyController:      e.str("PRIVACY_CONTROLLER", DefaultPrivacyController),
		ContactEmail:           e.str("CONTACT_EMAIL", DefaultContactEmail),
		SecurityContact:        e.str("SECURITY_CONTACT", DefaultSecurityContact),
		SSOSecretKey:           e.str("SSO_SECRET_KEY", ""),
		SecurityTxtExpires:     e.instant("SECURITY_TXT_EXPIRES", time.Now().Add(SecurityTxtDefaultExpiry).Truncate(time.Second)),
		Require2FARoles:        e.roles("REQUIRE_2FA_ROLES", "gemeente,beheerder"),
		MFAKey:                 e.str("MFA_KEY", ""),
	}
	c.SecureCookies = e.bool("SECURE_COOKIES", strings.HasPrefix(c.BaseURL, "https://"))
	if err := errors.Join(e.errs...); err != nil {
		return Config{}, err
	}
	return c, c.Validate()
}

// Validate checks settings that parse but make no sense together.
func (c Config) Validate() error {
	var errs []error
	switch c.Env {
	case "development", "test", "production":
	default:
		errs = append(errs, fmt.Errorf("APP_ENV: %q is not development, test or production", c.Env))
	}
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("BASE_URL: %q is not an http(s) URL", c.BaseURL))
	}
	if c.SessionIdle <= 0 || c.SessionLifetime <= 0 {
		errs = append(errs, errors.New("SESSION_IDLE_TIMEOUT and SESSION_LIFETIME must be positive"))
	}
	if c.LoginLimitPerIP < 1 || c.LoginLimitPerAccount < 1 || c.RegisterLimitPerIP < 1 {
		errs = append(errs, errors.New("rate limits must be at least 1"))
	}
	if c.Production() && c.SMTPHost == "" {
		errs = append(errs, errors.New("SMTP_HOST: required when APP_ENV=production (password reset mails)"))
	}
	switch c.SMTPTLS {
	case "starttls", "opportunistic", "tls", "none":
	default:
		errs = append(errs, fmt.Errorf("SMTP_TLS: %q is not starttls, opportunistic, tls or none", c.SMTPTLS))
	}
	if c.DatabaseReadURL != "" && c.DatabaseReadMaxLag < time.Second {
		errs = append(errs, errors.New("DATABASE_READ_MAX_LAG: must be at least 1s"))
	}
	if c.PageCacheTTL < 0 || c.PageCacheTTL > 5*time.Minute {
		errs = append(errs, errors.New("PAGE_CACHE_TTL: must be between 0 (off) and 5m"))
	}
	if c.NotificationsRetention < 24*time.Hour {
		errs = append(errs, errors.New("NOTIFICATIONS_RETENTION: must be at least 24h"))
	}
	if c.NotesRetention < 24*time.Hour {
		errs = append(errs, errors.New("NOTES_RETENTION: must be at least 24h"))
	}
	if strings.TrimSpace(c.PrivacyController) == "" {
		errs = append(errs, errors.New("PRIVACY_CONTROLLER: must name the organisation responsible for the data"))
	}
	if !bareAddress(c.ContactEmail) {
		errs = append(errs, fmt.Errorf("CONTACT_EMAIL: %q is not an e-mail address such as privacy@gemeente.nl", c.ContactEmail))
	}
	if err := checkContactURI(c.SecurityContact); err != nil {
		errs = append(errs, fmt.Errorf("SECURITY_CONTACT: %q %w", c.SecurityContact, err))
	}
	if k, err := base64.StdEncoding.DecodeString(c.MFAKey); c.MFAKey != "" && (err != nil || len(k) != 32) || c.Production() && c.MFAKey == "" {
		errs = append(errs, errors.New("MFA_KEY: must be base64 of 32 random bytes (`openssl rand -base64 32`); required when APP_ENV=production"))
	}
	if !c.SecurityTxtExpires.After(time.Now()) {
		errs = append(errs, fmt.Errorf("SECURITY_TXT_EXPIRES: %s has passed; security.txt must expire in the future (RFC 9116)",
			c.SecurityTxtExpires.Format(time.RFC3339)))
	}
	if c.SSOSecretKey != "" {
		if k, err := base64.StdEncoding.DecodeString(c.SSOSecretKey); err != nil || len(k) != 32 {
			errs = append(errs, errors.New("SSO_SECRET_KEY: must be 32 bytes in base64 (openssl rand -base64 32)"))
		}
	}
	return errors.Join(errs...)
}

// bareAddress reports whether s is one e-mail address without a name or
// angle brackets: it is shown on pages and used in mailto: links.
func bareAddress(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && a.Name == ""
}

// checkContactURI checks an RFC 9116 Contact value: a URI, mailto: with an
// address, https: with a host, or tel:.
func checkContactURI(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return errors.New("is not a URI")
	}
	switch u.Scheme {
	case "mailto":
		if !bareAddress(u.Opaque) {
			return errors.New("is not mailto: followed by an e-mail address")
		}
	case "https":
		if u.Host == "" {
			return errors.New("is not an https URL with a host")
		}
	case "tel":
		if u.Opaque == "" {
			return errors.New("is not tel: followed by a number")
		}
	default:
		return errors.New("is not a mailto:, https: or tel: URI")
	}
	return nil
}

// Production reports whether the platform runs in production mode.
func (c Config) Production() bool { return c.Env == "production" }

// BehindPooler reports whether DATABASE_URL leads through a transaction
// pooler: DATABASE_DIRECT_URL is set and names another place. The pool for
// requests then avoids named prepared statements, and the job queue gets a
// pool of its own on the direct URL (postgres.ThroughPooler, app.New).
func (c Config) BehindPooler() bool {
	main := c.DatabaseURL
	if main == "" {
		main = DefaultDatabaseURL
	}
	return c.DatabaseDirectURL != "" && c.DatabaseDirectURL != main
}

// DefaultDatabaseURL is the database tried when DATABASE_URL is empty.
const DefaultDatabaseURL = "postgres://postgres@127.0.0.1:5432/buurtkracht?sslmode=disable"

type envReader struct {
	get  func(string) string
	errs []error
}

func (e *envReader) str(key, def string) string {
	if v := strings.TrimSpace(e.get(key)); v != "" {
		return v
	}
	return def
}

// prefixes reads a comma-separated list of addresses (taken as a single
// host) and CIDR ranges.
func (e *envReader) prefixes(key string) []netip.Prefix {
	var out []netip.Prefix
	for _, part := range strings.Split(e.get(key), ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if a, err := netip.ParseAddr(part); err == nil {
			a = a.Unmap()
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(part)
		if err != nil {
			e.errs = append(e.errs, fmt.Errorf("%s: %q is not an IP address or CIDR range", key, part))
			continue
		}
		out = append(out, p.Masked())
	}
	return out
}

// roles reads a comma-separated list of role names, Dutch or English
// (role.Parse); "geen" (or "none") means no role, since an empty variable
// counts as unset.
func (e *envReader) roles(key, def string) []role.Role {
	v := e.str(key, def)
	if v == "geen" || v == "none" {
		return nil
	}
	var out []role.Role
	for _, name := range strings.Split(v, ",") {
		name = strings.ToLower(strings.TrimSpace(name))
		if name == "" {
			continue
		}
		r, ok := role.Parse(name)
		if !ok {
			e.errs = append(e.errs, fmt.Errorf("%s: %q is not a role (bewoner, opbouwwerker, gemeente, beheerder)", key, name))
			continue
		}
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

func (e *envReader) int(key string, def int) int {
	v := strings.TrimSpace(e.get(key))
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		e.errs = append(e.errs, fmt.Errorf("%s: %q is not a whole number", key, v))
		return def
	}
	return n
}

// instant reads an RFC 3339 date and time ("2027-06-30T00:00:00Z").
func (e *envReader) instant(key string, def time.Time) time.Time {
	v := strings.TrimSpace(e.get(key))
	if v == "" {
		return def
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		e.errs = append(e.errs, fmt.Errorf("%s: %q is not an RFC 3339 date and time such as 2027-06-30T00:00:00Z", key, v))
		return def
	}
	return t
}

func (e *envReader) bool(key string, def bool) bool {
	v := strings.TrimSpace(e.get(key))
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		e.errs = append(e.errs, fmt.Errorf("%s: %q is not true or false", key, v))
		return def
	}
	return b
}

// duration accepts Go durations ("90m") and whole days ("30d"), since
// retention periods are naturally given in days or months ("12mo").
func (e *envReader) duration(key string, def time.Duration) time.Duration {
	v := strings.TrimSpace(e.get(key))
	if v == "" {
		return def
	}
	if d, err := parseDuration(v); err == nil {
		return d
	}
	e.errs = append(e.errs, fmt.Errorf("%s: %q is not a duration such as 90m, 24h, 30d or 12mo", key, v))
	return def
}

func parseDuration(v string) (time.Duration, error) {
	for suffix, unit := range map[string]time.Duration{"mo": 30 * 24 * time.Hour, "d": 24 * time.Hour} {
		if n, ok := strings.CutSuffix(v, suffix); ok {
			if i, err := strconv.Atoi(n); err == nil && i >= 0 {
				return time.Duration(i) * unit, nil
			}
		}
	}
	return time.ParseDuration(v)
}
