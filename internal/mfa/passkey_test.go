package mfa_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/go-webauthn/webauthn/protocol/webauthncbor"
	"github.com/go-webauthn/webauthn/protocol/webauthncose"

	"github.com/buurtkracht/buurtkracht/internal/mfa"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// The test server's relying party: the host and origin of the test
// configuration's BASE_URL (the test client talks to an IP address).
const (
	testRPID   = "localhost"
	testOrigin = "http://localhost:8080"
)

var b64 = base64.RawURLEncoding

// softKey is a passkey in software: what an authenticator does, in a test.
type softKey struct {
	id     []byte
	key    *ecdsa.PrivateKey
	count  uint32
	handle []byte // user handle it was registered with
}

func newSoftKey(t *testing.T) *softKey {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	id := make([]byte, 16)
	_, _ = rand.Read(id)
	return &softKey{id: id, key: k}
}

func clientData(typ, challenge string) []byte {
	b, _ := json.Marshal(map[string]any{"type": typ, "challenge": challenge, "origin": testOrigin, "crossOrigin": false})
	return b
}

// authData is the authenticator data: RP ID hash, flags (user present and
// verified, plus attested data when registering), counter.
func (k *softKey) authData(t *testing.T, attested bool) []byte {
	t.Helper()
	rp := sha256.Sum256([]byte(testRPID))
	flags := byte(0x01 | 0x04)
	if attested {
		flags |= 0x40
	}
	out := append(rp[:], flags)
	out = binary.BigEndian.AppendUint32(out, k.count)
	if attested {
		out = append(out, make([]byte, 16)...) // AAGUID
		out = binary.BigEndian.AppendUint16(out, uint16(len(k.id)))
		out = append(out, k.id...)
		pub, err := webauthncbor.Marshal(webauthncose.EC2PublicKeyData{
			PublicKeyData: webauthncose.PublicKeyData{KeyType: 2, Algorithm: -7}, Curve: 1,
			XCoord: k.key.X.FillBytes(make([]byte, 32)), YCoord: k.key.Y.FillBytes(make([]byte, 32)),
		})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, pub...)
	}
	return out
}

// register answers creation options (JSON) with a "none" attestation.
func (k *softKey) register(t *testing.T, options string) string {
	t.Helper()
	var opts struct {
		PublicKey struct {
			Challenge string `json:"challenge"`
			User      struct {
				ID string `json:"id"`
			} `json:"user"`
		} `json:"publicKey"`
	}
	if err := json.Unmarshal([]byte(options), &opts); err != nil {
		t.Fatalf("creation options: %v\n%s", err, options)
	}
	k.handle, _ = b64.DecodeString(opts.PublicKey.User.ID)
	att, err := webauthncbor.Marshal(map[string]any{"fmt": "none", "attStmt": map[string]any{}, "authData": k.authData(t, true)})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(map[string]any{
		"id": b64.EncodeToString(k.id), "rawId": b64.EncodeToString(k.id), "type": "public-key",
		"clientExtensionResults": map[string]any{},
		"response": map[string]any{
			"clientDataJSON":    b64.EncodeToString(clientData("webauthn.create", opts.PublicKey.Challenge)),
			"attestationObject": b64.EncodeToString(att), "transports": []string{"internal"},
		},
	})
	return string(b)
}

// assert answers request options with a signed assertion for challenge.
func (k *softKey) assert(t *testing.T, challenge string) string {
	t.Helper()
	k.count++
	ad := k.authData(t, false)
	cd := clientData("webauthn.get", challenge)
	sum := sha256.Sum256(cd)
	digest := sha256.Sum256(append(append([]byte{}, ad...), sum[:]...))
	sig, err := ecdsa.SignASN1(rand.Reader, k.key, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(map[string]any{
		"id": b64.EncodeToString(k.id), "rawId": b64.EncodeToString(k.id), "type": "public-key",
		"clientExtensionResults": map[string]any{},
		"response": map[string]any{
			"clientDataJSON": b64.EncodeToString(cd), "authenticatorData": b64.EncodeToString(ad),
			"signature": b64.EncodeToString(sig), "userHandle": b64.EncodeToString(k.handle),
		},
	})
	return string(b)
}

func challengeOf(t *testing.T, options string) string {
	t.Helper()
	var opts struct {
		PublicKey struct {
			Challenge string `json:"challenge"`
		} `json:"publicKey"`
	}
	if err := json.Unmarshal([]byte(options), &opts); err != nil || opts.PublicKey.Challenge == "" {
		t.Fatalf("options without a challenge (%v):\n%s", err, options)
	}
	return opts.PublicKey.Challenge
}

func postOptions(t *testing.T, c *testkit.Client, path string) string {
	t.Helper()
	res := c.PostForm(path, url.Values{})
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("options %s: %d %s\n%s", path, res.StatusCode, res.Header.Get("Content-Type"), res.Body)
	}
	return res.Body
}

// addSoftKey registers a software passkey for the logged-in client.
func addSoftKey(t *testing.T, c *testkit.Client, name string) *softKey {
	t.Helper()
	k := newSoftKey(t)
	res := c.PostForm(mfa.PasskeysPath, url.Values{"passkey_name": {name}, "credential": {k.register(t, postOptions(t, c, mfa.PasskeyOptionsPath))}})
	if res.StatusCode != http.StatusSeeOther || res.Location() != mfa.SettingsPath {
		t.Fatalf("add passkey: %d %s\n%s", res.StatusCode, res.Location(), res.Body)
	}
	return k
}

func auditCount(t *testing.T, s *testkit.Server, action string) int {
	t.Helper()
	var n int
	if err := s.DB.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE action = $1`, action).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestPasskeyRegistrationOptionsAndOneTimeChallenge(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	acc := s.CreateUser(t, "optie@example.nl")
	c := s.Login(t, "optie@example.nl")

	body := postOptions(t, c, mfa.PasskeyOptionsPath)
	var opts struct {
		PublicKey struct {
			RP struct {
				ID   string `json:"id"`
				Name string `json:"name"`
			} `json:"rp"`
			User struct {
				ID   string `json:"id"`
				Name string `json:"name"`
			} `json:"user"`
			Selection struct {
				ResidentKey      string `json:"residentKey"`
				UserVerification string `json:"userVerification"`
			} `json:"authenticatorSelection"`
			Attestation string `json:"attestation"`
		} `json:"publicKey"`
	}
	if err := json.Unmarshal([]byte(body), &opts); err != nil {
		t.Fatal(err)
	}
	pk := opts.PublicKey
	handle, _ := b64.DecodeString(pk.User.ID)
	if pk.RP.ID != testRPID || pk.RP.Name != "Buurtkracht" || len(handle) < 16 ||
		strings.Contains(string(handle), "optie") || string(handle) == itoa(acc.ID) ||
		pk.Selection.ResidentKey != "preferred" || pk.Selection.UserVerification != "preferred" {
		t.Fatalf("creation options: %+v\n%s", pk, body)
	}
	if again := postOptions(t, c, mfa.PasskeyOptionsPath); !strings.Contains(again, pk.User.ID) {
		t.Error("the user handle is not the same for every registration of an account")
	}

	// An answer to another challenge is refused.
	k := newSoftKey(t)
	good := k.register(t, postOptions(t, c, mfa.PasskeyOptionsPath))
	other := newSoftKey(t)
	wrong := other.register(t, `{"publicKey":{"challenge":"`+b64.EncodeToString([]byte("niet-de-uitdaging-van-de-server"))+`","user":{"id":"`+pk.User.ID+`"}}}`)
	if res := c.PostForm(mfa.PasskeysPath, url.Values{"passkey_name": {"Vals"}, "credential": {wrong}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("wrong challenge: %d", res.StatusCode)
	}
	// The challenge of the refused answer is used up too: a second try with
	// the options fetched before fails, a fresh ceremony works.
	if res := c.PostForm(mfa.PasskeysPath, url.Values{"passkey_name": {"Laptop"}, "credential": {good}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("answer to a used challenge: %d", res.StatusCode)
	}
	addSoftKey(t, c, "Laptop")
	if res := c.PostForm(mfa.PasskeysPath, url.Values{"passkey_name": {"Nog eens"}, "credential": {good}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("replayed registration: %d", res.StatusCode)
	}
	if n := auditCount(t, s, "mfa.passkey_failure"); n != 3 {
		t.Errorf("%d failures audited, want 3", n)
	}
	if n := auditCount(t, s, "mfa.passkey_add"); n != 1 {
		t.Errorf("%d registrations audited, want 1", n)
	}
	// The data download names the passkey and its dates, never its key.
	var export struct {
		TwoFactor struct {
			Passkeys []map[string]any `json:"passkeys"`
		} `json:"two_factor"`
	}
	if dl := c.Get("/account/gegevens.json"); json.Unmarshal([]byte(dl.Body), &export) != nil || len(export.TwoFactor.Passkeys) != 1 ||
		export.TwoFactor.Passkeys[0]["name"] != "Laptop" || strings.Contains(dl.Body, "public_key") || strings.Contains(dl.Body, "credential") {
		t.Errorf("data download: %d %+v", dl.StatusCode, export.TwoFactor)
	}
	page := c.Get(mfa.SettingsPath).Body
	if !strings.Contains(page, "Laptop") || !strings.Contains(page, "Nog niet gebruikt") {
		t.Errorf("settings page does not list the passkey:\n%s", page)
	}
	if res := c.PostForm(mfa.PasskeysPath, url.Values{"passkey_name": {"Zonder JS"}}); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, "alleen met JavaScript") {
		t.Errorf("a form posted without JavaScript: %d", res.StatusCode)
	}
}

func TestPasskeyPasswordlessLogin(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	s.CreateUser(t, "zonder@example.nl")
	owner := s.Login(t, "zonder@example.nl")
	k := addSoftKey(t, owner, "Telefoon")

	c := s.Client(t)
	opts := postOptions(t, c, mfa.PasskeyLoginOptions)
	if strings.Contains(opts, "allowCredentials\":[{") {
		t.Fatalf("passwordless options list credentials:\n%s", opts)
	}
	ok := k.assert(t, challengeOf(t, opts))
	res := c.PostForm(mfa.PasskeyLoginPath, url.Values{"credential": {ok}, "volgende": {"/berichten"}})
	if res.StatusCode != http.StatusSeeOther || res.Location() != "/berichten" {
		t.Fatalf("passkey login: %d %s\n%s", res.StatusCode, res.Location(), res.Body)
	}
	if c.Get("/account").StatusCode != http.StatusOK {
		t.Fatal("not logged in after the passkey login")
	}

	// A stale counter (a copy of the key) is refused.
	clone := s.Client(t)
	k.count-- // the copy signs with the counter already seen
	if res := clone.PostForm(mfa.PasskeyLoginPath, url.Values{"credential": {k.assert(t, challengeOf(t, postOptions(t, clone, mfa.PasskeyLoginOptions)))}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("counter regression: %d %s", res.StatusCode, res.Location())
	}
	// Without a ceremony begun (or a second time) nothing is accepted.
	if res := clone.PostForm(mfa.PasskeyLoginPath, url.Values{"credential": {k.assert(t, challengeOf(t, opts))}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("answer without a ceremony: %d", res.StatusCode)
	}
	if n := auditCount(t, s, "mfa.passkey_failure"); n != 2 {
		t.Errorf("%d failures audited, want 2", n)
	}
}

func TestPasskeySecondStepRefusesAnotherAccountsPasskey(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	s.CreateUser(t, "eerste@example.nl")
	s.CreateUser(t, "tweede@example.nl")
	mine := addSoftKey(t, s.Login(t, "eerste@example.nl"), "Laptop")
	theirs := addSoftKey(t, s.Login(t, "tweede@example.nl"), "Laptop")

	c := s.Client(t)
	res := c.PostForm("/inloggen", url.Values{"email": {"eerste@example.nl"}, "password": {testkit.Password}})
	if res.StatusCode != http.StatusSeeOther || res.Location() != mfa.SecondStepPath {
		t.Fatalf("password login of an account with a passkey: %d %s", res.StatusCode, res.Location())
	}
	step := c.Get(mfa.SecondStepPath).Body
	if !strings.Contains(step, "Gebruik je passkey") || strings.Contains(step, `name="code"`) {
		t.Fatalf("second step without an app offers:\n%s", step)
	}
	opts := postOptions(t, c, mfa.PasskeyLoginOptions)
	if !strings.Contains(opts, b64.EncodeToString(mine.id)) || strings.Contains(opts, b64.EncodeToString(theirs.id)) {
		t.Fatalf("second step options do not list exactly the account's passkey:\n%s", opts)
	}
	if res := c.PostForm(mfa.PasskeyLoginPath, url.Values{"credential": {theirs.assert(t, challengeOf(t, opts))}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("another account's passkey: %d %s", res.StatusCode, res.Location())
	}
	if c.Get("/account").StatusCode == http.StatusOK {
		t.Fatal("logged in with another account's passkey")
	}
	opts = postOptions(t, c, mfa.PasskeyLoginOptions)
	if res := c.PostForm(mfa.PasskeyLoginPath, url.Values{"credential": {mine.assert(t, challengeOf(t, opts))}}); res.StatusCode != http.StatusSeeOther || res.Location() != "/account" {
		t.Fatalf("own passkey as second step: %d %s\n%s", res.StatusCode, res.Location(), res.Body)
	}
}

func TestPasskeyRemovalNeedsPassword(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	s.CreateUser(t, "weg@example.nl")
	s.CreateUser(t, "ander@example.nl")
	c := s.Login(t, "weg@example.nl")
	addSoftKey(t, c, "Oude telefoon")
	var id int64
	if err := s.DB.QueryRow(context.Background(), `SELECT id FROM passkeys`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	path := mfa.PasskeysPath + "/" + itoa(id) + "/verwijderen"
	field := "remove_password_" + itoa(id)
	if res := c.PostForm(path, url.Values{field: {"verkeerd wachtwoord"}}); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, "Dit wachtwoord klopt niet") {
		t.Fatalf("removal with a wrong password: %d", res.StatusCode)
	}
	other := s.Login(t, "ander@example.nl")
	if res := other.PostForm(path, url.Values{field: {testkit.Password}}); res.StatusCode != http.StatusNotFound {
		t.Fatalf("removing another account's passkey: %d", res.StatusCode)
	}
	if res := c.PostForm(path, url.Values{field: {testkit.Password}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("removal: %d\n%s", res.StatusCode, res.Body)
	}
	var left int
	if err := s.DB.QueryRow(context.Background(), `SELECT count(*) FROM passkeys`).Scan(&left); err != nil || left != 0 {
		t.Fatalf("%d passkeys left (%v)", left, err)
	}
	if n := auditCount(t, s, "mfa.passkey_remove"); n != 1 {
		t.Errorf("%d removals audited", n)
	}
}
