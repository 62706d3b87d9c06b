package mfa

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// secret is RFC 6238's test key ("12345678901234567890") in base32.
const secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

func TestMatchStep(t *testing.T) {
	t.Parallel()
	now := time.Unix(1111111109, 0) // RFC 6238 test vector: 081804 at this time (SHA-1, 8 digits → last 6)
	code := func(at time.Time) string {
		c, err := Code(secret, at)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	if got := code(now); got != "081804" {
		t.Fatalf("code at RFC time = %s, want 081804", got)
	}
	step := now.Unix() / 30
	cases := []struct {
		name     string
		code     string
		ok       bool
		wantStep int64
	}{
		{"current code", code(now), true, step},
		{"with spaces", " 081 804 ", true, step},
		{"previous step (slow typing)", code(now.Add(-30 * time.Second)), true, step - 1},
		{"next step (phone clock ahead)", code(now.Add(30 * time.Second)), true, step + 1},
		{"two steps old", code(now.Add(-60 * time.Second)), false, 0},
		{"two steps ahead", code(now.Add(60 * time.Second)), false, 0},
		{"wrong digits", "123456", false, 0},
		{"letters", "08180a", false, 0},
		{"too short", "08180", false, 0},
		{"empty", "", false, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := MatchStep(secret, tc.code, now)
			if ok != tc.ok || (ok && got != tc.wantStep) {
				t.Errorf("MatchStep(%q) = %d, %v; want %d, %v", tc.code, got, ok, tc.wantStep, tc.ok)
			}
		})
	}
}

func TestNewSecretAndKey(t *testing.T) {
	t.Parallel()
	s, err := NewSecret("anna@example.nl")
	if err != nil {
		t.Fatal(err)
	}
	if len(s) != 32 { // 160 bits in base32
		t.Fatalf("secret %q has %d characters", s, len(s))
	}
	key, err := Key(s, "anna@example.nl")
	if err != nil {
		t.Fatal(err)
	}
	if key.Secret() != s || key.Issuer() != Issuer || key.AccountName() != "anna@example.nl" {
		t.Errorf("key = %s", key.URL())
	}
	if got := GroupSecret("ABCDEFGHIJ"); got != "ABCD EFGH IJ" {
		t.Errorf("GroupSecret = %q", got)
	}
}

func TestRecoveryCodes(t *testing.T) {
	t.Parallel()
	codes, err := NewRecoveryCodes()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, c := range codes {
		if len(c) != 19 || strings.Count(c, "-") != 3 || strings.ContainsAny(c, "ilou") {
			t.Errorf("code %q is not four groups of four Crockford characters", c)
		}
		if IsTOTPCode(c) {
			t.Errorf("code %q reads as an app code", c)
		}
		seen[c] = true
	}
	if len(codes) != RecoveryCodeCount || len(seen) != RecoveryCodeCount {
		t.Fatalf("%d codes, %d distinct", len(codes), len(seen))
	}
	c := codes[0]
	cases := []struct {
		name    string
		account int64
		input   string
		same    bool
	}{
		{"as shown", 7, c, true},
		{"upper case without dashes", 7, strings.ToUpper(strings.ReplaceAll(c, "-", "")), true},
		{"with spaces", 7, " " + strings.ReplaceAll(c, "-", " ") + " ", true},
		{"another account", 8, c, false},
		{"another code", 7, codes[1], false},
	}
	want := HashRecoveryCode(7, c)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := bytes.Equal(HashRecoveryCode(tc.account, tc.input), want); got != tc.same {
				t.Errorf("same hash = %v, want %v", got, tc.same)
			}
		})
	}
	// Crockford's reading of look-alikes.
	if !bytes.Equal(HashRecoveryCode(1, "o1l0"), HashRecoveryCode(1, "0110")) || !bytes.Equal(HashRecoveryCode(1, "I"), HashRecoveryCode(1, "1")) {
		t.Error("look-alike characters are not read as digits")
	}
}

func TestSealer(t *testing.T) {
	t.Parallel()
	dev, err := NewSealer("")
	if err != nil {
		t.Fatal(err)
	}
	prod, err := NewSealer("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := prod.Seal(42, secret)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte(secret)) {
		t.Fatal("sealed secret contains the secret")
	}
	if got, err := prod.Open(42, sealed); err != nil || got != secret {
		t.Fatalf("Open = %q, %v", got, err)
	}
	if _, err := prod.Open(43, sealed); err == nil {
		t.Error("a secret opened for another account")
	}
	if _, err := dev.Open(42, sealed); err == nil {
		t.Error("a secret opened with another key")
	}
	if _, err := NewSealer("c2hvcnQ="); err == nil {
		t.Error("a short key was accepted")
	}
}

func TestDeviceLabel(t *testing.T) {
	t.Parallel()
	cases := []struct{ ua, want string }{
		{"Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0", "Firefox op Android"},
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0", "Edge op Windows"},
		{"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15", "Safari op macOS"},
		{"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", "Safari op iPhone"},
		{"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1", "Chrome op iPhone"},
		{"Mozilla/5.0 (Linux; Android 14; SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36", "Samsung Internet op Android"},
		{"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0.0.0 Safari/537.36", "Chrome op Linux"},
		{"Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36", "Chrome op ChromeOS"},
		{"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 OPR/111.0.0.0", "Opera op Windows"},
		{"Go-http-client/1.1", "Onbekend apparaat"},
		{"", "Onbekend apparaat"},
	}
	for _, tc := range cases {
		if got := DeviceLabel(tc.ua); got != tc.want {
			t.Errorf("DeviceLabel(%q) = %q, want %q", tc.ua, got, tc.want)
		}
	}
}

func TestCoarsePlace(t *testing.T) {
	t.Parallel()
	cases := []struct{ addr, want string }{
		{"192.0.2.77:51234", "192.0.2.x"},
		{"[2001:db8:1234:5678::1]:443", "2001:db8:1234::/48"},
		{"[::ffff:198.51.100.9]:80", "198.51.100.x"},
		{"[fe80::1%eth0]:80", "fe80::/48"},
		{"127.0.0.1", "127.0.0.x"},
		{"not an address", "onbekend"},
	}
	for _, tc := range cases {
		if got := CoarsePlace(tc.addr); got != tc.want {
			t.Errorf("CoarsePlace(%q) = %q, want %q", tc.addr, got, tc.want)
		}
	}
}
