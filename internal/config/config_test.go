package config

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/role"
)

func TestLoad(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		wantErr string
		check   func(t *testing.T, c Config)
	}{
		{name: "defaults", check: func(t *testing.T, c Config) {
			if c.Addr != ":8080" || c.Env != "development" || c.SecureCookies {
				t.Errorf("unexpected defaults: %+v", c)
			}
			if c.NotesRetention != 365*24*time.Hour {
				t.Errorf("retention = %v", c.NotesRetention)
			}
		}},
		{name: "https base url makes cookies secure", env: map[string]string{"BASE_URL": "https://buurt.example.nl/"}, check: func(t *testing.T, c Config) {
			if !c.SecureCookies || c.BaseURL != "https://buurt.example.nl" {
				t.Errorf("got secure=%v base=%q", c.SecureCookies, c.BaseURL)
			}
		}},
		{name: "retention in months", env: map[string]string{"NOTES_RETENTION": "6mo"}, check: func(t *testing.T, c Config) {
			if c.NotesRetention != 180*24*time.Hour {
				t.Errorf("retention = %v", c.NotesRetention)
			}
		}},
		{name: "retention in days", env: map[string]string{"NOTES_RETENTION": "30d"}, check: func(t *testing.T, c Config) {
			if c.NotesRetention != 30*24*time.Hour {
				t.Errorf("retention = %v", c.NotesRetention)
			}
		}},
		{name: "scale settings default", check: func(t *testing.T, c Config) {
			if c.PageCacheTTL != 10*time.Second || c.DatabaseReadMaxLag != 30*time.Second || c.DatabaseReadURL != "" || c.DatabaseDirectURL != "" {
				t.Errorf("page cache %v, read lag %v, read url %q, direct url %q", c.PageCacheTTL, c.DatabaseReadMaxLag, c.DatabaseReadURL, c.DatabaseDirectURL)
			}
		}},
		{name: "page cache off", env: map[string]string{"PAGE_CACHE_TTL": "0"}, check: func(t *testing.T, c Config) {
			if c.PageCacheTTL != 0 {
				t.Errorf("PAGE_CACHE_TTL=0 gave %v", c.PageCacheTTL)
			}
		}},
		{name: "page cache too long", env: map[string]string{"PAGE_CACHE_TTL": "1h"}, wantErr: "PAGE_CACHE_TTL"},
		{name: "page cache negative", env: map[string]string{"PAGE_CACHE_TTL": "-1s"}, wantErr: "PAGE_CACHE_TTL"},
		{name: "replica lag too small", env: map[string]string{"DATABASE_READ_URL": "postgres://replica/db", "DATABASE_READ_MAX_LAG": "500ms"},
			wantErr: "DATABASE_READ_MAX_LAG"},
		{name: "replica settings", env: map[string]string{"DATABASE_READ_URL": "postgres://replica/db", "DATABASE_READ_MAX_LAG": "5s"},
			check: func(t *testing.T, c Config) {
				if c.DatabaseReadURL != "postgres://replica/db" || c.DatabaseReadMaxLag != 5*time.Second {
					t.Errorf("read url %q, lag %v", c.DatabaseReadURL, c.DatabaseReadMaxLag)
				}
			}},
		{name: "bad number", env: map[string]string{"SMTP_PORT": "abc"}, wantErr: "SMTP_PORT"},
		{name: "bad duration", env: map[string]string{"SESSION_LIFETIME": "soon"}, wantErr: "SESSION_LIFETIME"},
		{name: "bad env", env: map[string]string{"APP_ENV": "staging"}, wantErr: "APP_ENV"},
		{name: "production needs smtp", env: map[string]string{"APP_ENV": "production"}, wantErr: "SMTP_HOST"},
		{name: "2fa roles default to officer and admin", check: func(t *testing.T, c Config) {
			if !slices.Equal(c.Require2FARoles, []role.Role{role.Officer, role.Admin}) {
				t.Errorf("REQUIRE_2FA_ROLES default = %v", c.Require2FARoles)
			}
		}},
		{name: "2fa roles in Dutch and English", env: map[string]string{"REQUIRE_2FA_ROLES": " Opbouwwerker, admin,beheerder "}, check: func(t *testing.T, c Config) {
			if !slices.Equal(c.Require2FARoles, []role.Role{role.Worker, role.Admin}) {
				t.Errorf("REQUIRE_2FA_ROLES = %v", c.Require2FARoles)
			}
		}},
		{name: "2fa for no role", env: map[string]string{"REQUIRE_2FA_ROLES": "geen"}, check: func(t *testing.T, c Config) {
			if len(c.Require2FARoles) != 0 {
				t.Errorf("REQUIRE_2FA_ROLES = %v, want none", c.Require2FARoles)
			}
		}},
		{name: "bad 2fa role", env: map[string]string{"REQUIRE_2FA_ROLES": "gemeente,burgemeester"}, wantErr: "REQUIRE_2FA_ROLES"},
		{name: "short mfa key", env: map[string]string{"MFA_KEY": "c2hvcnQ="}, wantErr: "MFA_KEY"},
		{name: "production needs mfa key", env: map[string]string{"APP_ENV": "production", "SMTP_HOST": "smtp.example.nl"}, wantErr: "MFA_KEY"},
		{name: "mfa key", env: map[string]string{"MFA_KEY": "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="}, check: func(t *testing.T, c Config) {
			if c.MFAKey == "" {
				t.Error("MFA_KEY not read")
			}
		}},
		{name: "bad base url", env: map[string]string{"BASE_URL": "localhost"}, wantErr: "BASE_URL"},
		{name: "trusted proxies", env: map[string]string{"TRUSTED_PROXIES": " 10.0.0.0/8, 192.168.1.7 ,fd00::1/64,::ffff:172.16.0.1"}, check: func(t *testing.T, c Config) {
			var got []string
			for _, p := range c.TrustedProxies {
				got = append(got, p.String())
			}
			if want := "10.0.0.0/8 192.168.1.7/32 fd00::/64 172.16.0.1/32"; strings.Join(got, " ") != want {
				t.Errorf("proxies %q, want %q", strings.Join(got, " "), want)
			}
		}},
		{name: "no trusted proxies by default", check: func(t *testing.T, c Config) {
			if len(c.TrustedProxies) != 0 {
				t.Errorf("proxies %v, want none", c.TrustedProxies)
			}
		}},
		{name: "bad trusted proxy", env: map[string]string{"TRUSTED_PROXIES": "10.0.0.0/8,proxy.example.nl"}, wantErr: "TRUSTED_PROXIES"},
		{name: "statement defaults", check: func(t *testing.T, c Config) {
			if c.PrivacyController != DefaultPrivacyController || c.ContactEmail != DefaultContactEmail || c.SecurityContact != DefaultSecurityContact {
				t.Errorf("controller %q, contact %q, security %q", c.PrivacyController, c.ContactEmail, c.SecurityContact)
			}
			// Just under a year from now, so security.txt is valid at start.
			if d := time.Until(c.SecurityTxtExpires); d < SecurityTxtDefaultExpiry-time.Minute || d > SecurityTxtDefaultExpiry {
				t.Errorf("expires in %v, want about %v", d, SecurityTxtDefaultExpiry)
			}
		}},
		{name: "statement settings", env: map[string]string{
			"PRIVACY_CONTROLLER": "Gemeente Utrecht", "CONTACT_EMAIL": "privacy@utrecht.nl",
			"SECURITY_CONTACT": "https://www.utrecht.nl/kwetsbaarheid-melden", "SECURITY_TXT_EXPIRES": "2999-06-30T12:00:00+02:00",
		}, check: func(t *testing.T, c Config) {
			if c.PrivacyController != "Gemeente Utrecht" || c.ContactEmail != "privacy@utrecht.nl" ||
				c.SecurityContact != "https://www.utrecht.nl/kwetsbaarheid-melden" {
				t.Errorf("got %q %q %q", c.PrivacyController, c.ContactEmail, c.SecurityContact)
			}
			if want := time.Date(2999, 6, 30, 10, 0, 0, 0, time.UTC); !c.SecurityTxtExpires.Equal(want) {
				t.Errorf("expires %v, want %v", c.SecurityTxtExpires, want)
			}
		}},
		{name: "security contact mailto", env: map[string]string{"SECURITY_CONTACT": "mailto:cert@gemeente.nl"}, check: func(t *testing.T, c Config) {
			if c.SecurityContact != "mailto:cert@gemeente.nl" {
				t.Errorf("security contact %q", c.SecurityContact)
			}
		}},
		{name: "contact email with a name", env: map[string]string{"CONTACT_EMAIL": "Privacy <privacy@utrecht.nl>"}, wantErr: "CONTACT_EMAIL"},
		{name: "contact email not an address", env: map[string]string{"CONTACT_EMAIL": "privacy"}, wantErr: "CONTACT_EMAIL"},
		{name: "security contact without scheme", env: map[string]string{"SECURITY_CONTACT": "security@gemeente.nl"}, wantErr: "SECURITY_CONTACT"},
		{name: "security contact over http", env: map[string]string{"SECURITY_CONTACT": "http://gemeente.nl/melden"}, wantErr: "SECURITY_CONTACT"},
		{name: "security contact mailto without address", env: map[string]string{"SECURITY_CONTACT": "mailto:"}, wantErr: "SECURITY_CONTACT"},
		{name: "security.txt expiry not RFC 3339", env: map[string]string{"SECURITY_TXT_EXPIRES": "2027-06-30"}, wantErr: "SECURITY_TXT_EXPIRES"},
		{name: "security.txt expired", env: map[string]string{"SECURITY_TXT_EXPIRES": "2020-01-01T00:00:00Z"}, wantErr: "SECURITY_TXT_EXPIRES"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := load(func(k string) string { return tt.env[k] })
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want mention of %s", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, c)
		})
	}
}
