// Package statement serves the statements a Dutch public platform publishes
// and links from every page's footer: the accessibility statement
// (/toegankelijkheid), the privacy statement (/privacy), how to report a
// vulnerability (/beveiliging) and /.well-known/security.txt (RFC 9116).
// Every figure on them (retention periods, session limits, contact
// addresses) comes from the configuration, so the pages say what the
// platform really does.
package statement

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/config"
)

// Revised is the date the statements' text was last reviewed. Change it
// whenever the text of a statement changes.
var Revised = time.Date(2026, time.December, 6, 12, 0, 0, 0, time.UTC)

// Fixed holds the periods that other features fix in code rather than in
// the configuration; the app passes them in, so the privacy statement
// names the real values.
type Fixed struct {
	ResetLink      time.Duration // how long a password reset link works
	ConfirmLink    time.Duration // how long an e-mail confirmation link works
	InvitationDays int           // how long an invitation to become co-owner stays open
	TokenMaxDays   int           // the longest lifetime a personal API token can get
}

// Settings is everything the statements say that depends on the
// installation.
type Settings struct {
	Controller      string // the organisation responsible for the data
	ContactEmail    string // privacy and accessibility questions
	SecurityContact string // security.txt Contact URI
	Expires         time.Time
	BaseURL         string // public URL without trailing slash

	NotesRetention         time.Duration
	NotificationsRetention time.Duration
	SessionIdle            time.Duration
	SessionLifetime        time.Duration
	Fixed
}

// SettingsFrom takes the statement settings from cfg. Fields a hand-built
// Config leaves empty get the defaults Load would have given them; an
// unset expiry of security.txt is counted from now.
func SettingsFrom(cfg config.Config, fixed Fixed, now time.Time) Settings {
	s := Settings{
		Controller:             or(cfg.PrivacyController, config.DefaultPrivacyController),
		ContactEmail:           or(cfg.ContactEmail, config.DefaultContactEmail),
		SecurityContact:        or(cfg.SecurityContact, config.DefaultSecurityContact),
		Expires:                cfg.SecurityTxtExpires,
		BaseURL:                strings.TrimRight(cfg.BaseURL, "/"),
		NotesRetention:         cfg.NotesRetention,
		NotificationsRetention: cfg.NotificationsRetention,
		SessionIdle:            cfg.SessionIdle,
		SessionLifetime:        cfg.SessionLifetime,
		Fixed:                  fixed,
	}
	if s.Expires.IsZero() {
		s.Expires = now.Add(config.SecurityTxtDefaultExpiry).Truncate(time.Second)
	}
	return s
}

func or(v, def string) string {
	if strings.TrimSpace(v) == "" {
		return def
	}
	return v
}

// Site is the host name of the platform as people type it ("buurt.utrecht.nl").
func (s Settings) Site() string {
	if u, err := url.Parse(s.BaseURL); err == nil && u.Host != "" {
		return u.Host
	}
	return s.BaseURL
}

// Duration writes d in Dutch words, exactly: "365 dagen", "1 dag",
// "48 uur", "30 minuten". Periods of two months or more add the rounded
// months in brackets: "180 dagen (ongeveer 6 maanden)".
func Duration(d time.Duration) string {
	switch {
	case d <= 0:
		return "0 minuten"
	case d%(24*time.Hour) == 0:
		days := int(d / (24 * time.Hour))
		if days == 1 {
			return "1 dag"
		}
		s := strconv.Itoa(days) + " dagen"
		if days >= 60 {
			months := int((float64(days) / 30.4375) + 0.5)
			s += " (ongeveer " + strconv.Itoa(months) + " maanden)"
		}
		return s
	case d%time.Hour == 0:
		return strconv.Itoa(int(d/time.Hour)) + " uur"
	case d%time.Minute == 0:
		m := int(d / time.Minute)
		if m == 1 {
			return "1 minuut"
		}
		return strconv.Itoa(m) + " minuten"
	default:
		sec := int(d.Round(time.Second) / time.Second)
		if sec == 1 {
			return "1 seconde"
		}
		return strconv.Itoa(sec) + " seconden"
	}
}

// Days writes a number of days in Dutch words, like Duration.
func Days(n int) string { return Duration(time.Duration(n) * 24 * time.Hour) }

// SecurityTxt is the body of /.well-known/security.txt (RFC 9116). Web
// URIs in it must use https, so Canonical and Policy are left out while
// the platform runs on plain http (a developer's machine).
func (s Settings) SecurityTxt() string {
	var b strings.Builder
	b.WriteString("# Buurtkracht: een kwetsbaarheid melden. Report a vulnerability.\n")
	b.WriteString("Contact: " + s.SecurityContact + "\n")
	b.WriteString("Expires: " + s.Expires.UTC().Format(time.RFC3339) + "\n")
	b.WriteString("Preferred-Languages: nl, en\n")
	if strings.HasPrefix(s.BaseURL, "https://") {
		b.WriteString("Canonical: " + s.BaseURL + SecurityTxtPath + "\n")
		b.WriteString("Policy: " + s.BaseURL + SecurityPath + "\n")
	}
	return b.String()
}

// Paths of the statements, as the router and the footer use them.
const (
	AccessibilityPath = "/toegankelijkheid"
	PrivacyPath       = "/privacy"
	SecurityPath      = "/beveiliging"
	SecurityTxtPath   = "/.well-known/security.txt"
)
