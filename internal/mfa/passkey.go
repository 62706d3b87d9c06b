package mfa

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/buurtkracht/buurtkracht/internal/account"
	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/ratelimit"
	"github.com/buurtkracht/buurtkracht/internal/validate"
)

// Paths of the passkey ceremonies. The options are fetched by
// web/static/js/passkey.js; the finished ceremony is posted as an ordinary
// form, so the server answers with pages and redirects as everywhere else.
const (
	PasskeysPath        = SettingsPath + "/passkeys"
	PasskeyOptionsPath  = PasskeysPath + "/opties"
	PasskeyLoginPath    = "/inloggen/passkey"
	PasskeyLoginOptions = PasskeyLoginPath + "/opties"
)

// RPName is the name the browser shows for the relying party.
const RPName = "Buurtkracht"

// Session keys of the passkey ceremonies: the WebAuthn session data (the
// challenge) as JSON, taken out when the ceremony ends so it works once.
const (
	keyPasskeyRegister = "mfa.passkey.register"
	keyPasskeyLogin    = "mfa.passkey.login"
	// keyPendingPasskey is the credential that identified a login without
	// user verification: it cannot be its own second step.
	keyPendingPasskey = "mfa.pendingPasskey"
)

// Failed passkey logins per client address; wrong second steps per account
// count with the code's (attempts).
const (
	passkeyFailuresPerIP = 20
	passkeyNameMax       = 60
)

// passkeyUser is an account as the WebAuthn library sees it.
type passkeyUser struct {
	id          int64
	handle      []byte
	name        string
	displayName string
	keys        []Passkey
}

func (u *passkeyUser) WebAuthnID() []byte          { return u.handle }
func (u *passkeyUser) WebAuthnName() string        { return u.name }
func (u *passkeyUser) WebAuthnDisplayName() string { return u.displayName }
func (u *passkeyUser) WebAuthnCredentials() []webauthn.Credential {
	out := make([]webauthn.Credential, len(u.keys))
	for i, k := range u.keys {
		out[i] = k.Credential
	}
	return out
}

func (u *passkeyUser) key(credID []byte) *Passkey {
	for i := range u.keys {
		if bytes.Equal(u.keys[i].Credential.ID, credID) {
			return &u.keys[i]
		}
	}
	return nil
}

// loadUser returns the account with its handle and passkeys.
func (h *Handler) loadUser(ctx context.Context, id int64) (*passkeyUser, error) {
	acc, err := h.accounts.ByID(ctx, id)
	if err != nil {
		return nil, err
	}
	handle, err := h.store.PasskeyHandle(ctx, id)
	if err != nil {
		return nil, err
	}
	keys, err := h.store.Passkeys(ctx, id)
	if err != nil {
		return nil, err
	}
	return &passkeyUser{id: id, handle: handle, name: acc.Email, displayName: acc.DisplayName, keys: keys}, nil
}

func hostOnly(hostport string) string {
	if host, _, err := net.SplitHostPort(hostport); err == nil {
		return host
	}
	return hostport
}

// relyingParty is the WebAuthn configuration of a request. The RP ID is the
// host of BASE_URL and the only accepted origin is BASE_URL's; in tests
// (Env "test") both follow the request, since
// a test server listens on a port chosen when it starts.
func (h *Handler) relyingParty(r *http.Request) (*webauthn.WebAuthn, error) {
	origin := h.baseURL
	// An IP address cannot be a relying party ID: such requests keep BASE_URL.
	if h.originFromRequest && net.ParseIP(hostOnly(r.Host)) == nil {
		scheme := "http"
		if r.TLS != nil {
			scheme = "https"
		}
		origin = scheme + "://" + r.Host
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("mfa: base URL %q: %w", origin, err)
	}
	origin = u.Scheme + "://" + u.Host
	return webauthn.New(&webauthn.Config{RPID: u.Hostname(), RPDisplayName: RPName, RPOrigins: []string{origin}})
}

func (h *Handler) putCeremony(ctx context.Context, key string, sd *webauthn.SessionData) error {
	b, err := json.Marshal(sd)
	if err != nil {
		return fmt.Errorf("mfa: session data: %w", err)
	}
	h.sessions.Put(ctx, key, b)
	return nil
}

// popCeremony takes the ceremony's session data out: a challenge answers once.
func (h *Handler) popCeremony(ctx context.Context, key string) (webauthn.SessionData, bool) {
	var sd webauthn.SessionData
	b, ok := h.sessions.Pop(ctx, key).([]byte)
	if !ok || json.Unmarshal(b, &sd) != nil {
		return sd, false
	}
	return sd, true
}

func descriptors(keys []Passkey, skip []byte) []protocol.CredentialDescriptor {
	out := []protocol.CredentialDescriptor{}
	for _, k := range keys {
		if skip != nil && bytes.Equal(k.Credential.ID, skip) {
			continue
		}
		out = append(out, k.Credential.Descriptor())
	}
	return out
}

// RegisterOptions answers with the creation options of a new passkey for
// the viewer (JSON for passkey.js) and keeps the challenge in the session.
func (h *Handler) RegisterOptions(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := httpx.ViewerFrom(ctx)
	rp, err := h.relyingParty(r)
	if err != nil {
		return err
	}
	user, err := h.loadUser(ctx, v.ID)
	if err != nil {
		return err
	}
	// Resident key preferred: then the passkey also logs in without a password.
	creation, sd, err := rp.BeginRegistration(user,
		webauthn.WithAuthenticatorSelection(protocol.AuthenticatorSelection{
			ResidentKey: protocol.ResidentKeyRequirementPreferred, UserVerification: protocol.VerificationPreferred}),
		webauthn.WithResidentKeyRequirement(protocol.ResidentKeyRequirementPreferred),
		webauthn.WithConveyancePreference(protocol.PreferNoAttestation),
		webauthn.WithExclusions(descriptors(user.keys, nil)))
	if err != nil {
		return fmt.Errorf("mfa: begin registration: %w", err)
	}
	if err := h.putCeremony(ctx, keyPasskeyRegister, sd); err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, creation)
}

// AddPasskey finishes the registration posted by passkey.js: the name and
// the attestation response, checked against the session's challenge.
func (h *Handler) AddPasskey(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := httpx.ViewerFrom(ctx)
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	errs := validate.Errors{}
	name := strings.TrimSpace(r.PostForm.Get("passkey_name"))
	switch {
	case name == "":
		errs.Add("passkey_name", msgPasskeyNameRequired)
	case utf8.RuneCountInString(name) > passkeyNameMax:
		errs.Add("passkey_name", msgPasskeyNameLong)
	}
	response := r.PostForm.Get("credential")
	if errs.Valid() && response == "" {
		errs.Add("passkey_name", msgPasskeyNeedsJS)
	}
	if !errs.Valid() {
		return h.renderSettingsInput(w, r, http.StatusUnprocessableEntity, errs, name)
	}
	sd, ok := h.popCeremony(ctx, keyPasskeyRegister)
	fail := func(detail string) error {
		if err := h.store.PasskeyFailure(ctx, v.ID, "passkey toevoegen mislukt: "+detail); err != nil {
			return err
		}
		errs.Add("passkey_name", msgPasskeyAddFailed)
		return h.renderSettingsInput(w, r, http.StatusUnprocessableEntity, errs, name)
	}
	if !ok {
		return fail("geen lopende registratie (verlopen of al gebruikt)")
	}
	rp, err := h.relyingParty(r)
	if err != nil {
		return err
	}
	parsed, err := protocol.ParseCredentialCreationResponseBytes([]byte(response))
	if err != nil {
		return fail("antwoord onleesbaar")
	}
	user, err := h.loadUser(ctx, v.ID)
	if err != nil {
		return err
	}
	cred, err := rp.CreateCredential(user, sd, parsed)
	if err != nil {
		return fail("antwoord afgekeurd")
	}
	if err := h.store.AddPasskey(ctx, v.ID, name, cred); err != nil {
		return err
	}
	httpx.Flash(h.sessions, r, flashPasskeyAdded)
	return httpx.Redirect(w, r, SettingsPath)
}

// RemovePasskey removes one of the viewer's passkeys, after the password.
func (h *Handler) RemovePasskey(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := httpx.ViewerFrom(ctx)
	id, err := httpx.PathID(r, "id")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	field := "remove_password_" + strconv.FormatInt(id, 10)
	errs := validate.Errors{}
	if done, err := h.checkPassword(w, r, field, errs); done || err != nil {
		return err
	}
	if !errs.Valid() {
		return h.renderSettingsInput(w, r, http.StatusUnprocessableEntity, errs, "")
	}
	err = h.store.RemovePasskey(ctx, v.ID, id, h.Required(v))
	if errors.Is(err, ErrLastFactor) {
		errs.Add(field, msgPasskeyLast)
		return h.renderSettingsInput(w, r, http.StatusUnprocessableEntity, errs, "")
	}
	if err != nil {
		return err
	}
	httpx.Flash(h.sessions, r, flashPasskeyRemoved)
	return httpx.Redirect(w, r, SettingsPath)
}

// LoginOptions answers with the request options of a passkey login: for a
// login waiting for its second step, the passkeys of that account; else
// none listed, so the browser offers the passkeys it holds for the site.
func (h *Handler) LoginOptions(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if httpx.ViewerFrom(ctx) != nil {
		return httpx.ErrBadRequest
	}
	rp, err := h.relyingParty(r)
	if err != nil {
		return err
	}
	var assertion *protocol.CredentialAssertion
	var sd *webauthn.SessionData
	if id := h.pending(ctx); id != 0 {
		user, err := h.loadUser(ctx, id)
		if err != nil {
			return err
		}
		skip, _ := h.sessions.Get(ctx, keyPendingPasskey).([]byte)
		allow := descriptors(user.keys, skip)
		if len(allow) == 0 {
			return httpx.ErrNotFound
		}
		assertion, sd, err = rp.BeginLogin(user, webauthn.WithAllowedCredentials(allow),
			webauthn.WithUserVerification(protocol.VerificationPreferred))
		if err != nil {
			return fmt.Errorf("mfa: begin login: %w", err)
		}
	} else {
		assertion, sd, err = rp.BeginDiscoverableLogin(webauthn.WithUserVerification(protocol.VerificationPreferred))
		if err != nil {
			return fmt.Errorf("mfa: begin passkey login: %w", err)
		}
	}
	if err := h.putCeremony(ctx, keyPasskeyLogin, sd); err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, assertion)
}

// PasskeyLogin finishes a passkey login posted by passkey.js: as the second
// step of a waiting login, or as the whole login (a discoverable passkey
// whose user handle names the account).
func (h *Handler) PasskeyLogin(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if httpx.ViewerFrom(ctx) != nil {
		return httpx.Redirect(w, r, "/account")
	}
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	ip := ratelimit.ClientIP(r)
	ok, retry, err := h.passkeyIPs.Check(ctx, ip)
	if err != nil {
		return err
	}
	if !ok {
		w.Header().Set("Retry-After", strconv.Itoa(ratelimit.RetryAfterSeconds(retry)))
		return h.passkeyFailed(w, r, http.StatusTooManyRequests, msgTooManyPasskeyFailures(retry))
	}
	sd, haveCeremony := h.popCeremony(ctx, keyPasskeyLogin)
	pendingID := h.pending(ctx)
	second := len(sd.UserID) > 0
	var accountID int64
	if second {
		accountID = pendingID
	}
	fail := func(detail string) error {
		if err := h.passkeyIPs.Add(ctx, ip); err != nil {
			return err
		}
		if accountID != 0 {
			if err := h.attempts.Add(ctx, strconv.FormatInt(accountID, 10)); err != nil {
				return err
			}
		}
		if err := h.store.PasskeyFailure(ctx, accountID, "inloggen met passkey mislukt: "+detail); err != nil {
			return err
		}
		return h.passkeyFailed(w, r, http.StatusUnprocessableEntity, msgPasskeyLoginFailed)
	}
	if !haveCeremony {
		return fail("geen lopende poging (verlopen of al gebruikt)")
	}
	if second && pendingID == 0 {
		h.dropPending(ctx)
		return httpx.Render(w, r, http.StatusGone, NoSecondStepPage(httpx.PageFor(r, "Tweede stap van het inloggen")))
	}
	if second {
		ok, retry, err := h.attempts.Check(ctx, strconv.FormatInt(accountID, 10))
		if err != nil {
			return err
		}
		if !ok {
			w.Header().Set("Retry-After", strconv.Itoa(ratelimit.RetryAfterSeconds(retry)))
			return h.passkeyFailed(w, r, http.StatusTooManyRequests, msgTooManyCodes(retry))
		}
	}
	parsed, err := protocol.ParseCredentialRequestResponseBytes([]byte(r.PostForm.Get("credential")))
	if err != nil {
		return fail("antwoord onleesbaar")
	}
	rp, err := h.relyingParty(r)
	if err != nil {
		return err
	}
	var user *passkeyUser
	var cred *webauthn.Credential
	if second {
		user, err = h.loadUser(ctx, accountID)
		if err != nil {
			return err
		}
		// The handle the ceremony was begun for must still be this account's.
		if !bytes.Equal(user.handle, sd.UserID) {
			return fail("andere inlogpoging dan waarvoor de passkey werd gevraagd")
		}
		if skip, _ := h.sessions.Get(ctx, keyPendingPasskey).([]byte); skip != nil && bytes.Equal(skip, parsed.RawID) {
			return fail("dezelfde passkey als de eerste stap")
		}
		cred, err = rp.ValidateLogin(user, sd, parsed)
	} else {
		cred, err = rp.ValidateDiscoverableLogin(func(_, handle []byte) (webauthn.User, error) {
			id, err := h.store.AccountByHandle(ctx, handle)
			if err != nil {
				return nil, err
			}
			user, err = h.loadUser(ctx, id)
			if err != nil {
				return nil, err
			}
			accountID = id
			return user, nil
		}, sd, parsed)
	}
	if err != nil {
		return fail("antwoord afgekeurd")
	}
	stored := user.key(cred.ID)
	if stored == nil {
		return fail("onbekende passkey")
	}
	// A counter that does not go up means a copy of the key is in use,
	// unless the authenticator keeps no counter at all (0 both times).
	if cred.Authenticator.CloneWarning {
		return fail("tellerstand van de passkey liep terug (mogelijk gekopieerd)")
	}
	if err := h.store.UsePasskey(ctx, accountID, cred, stored.Credential.Authenticator.SignCount); err != nil {
		if errors.Is(err, ErrPasskeyChanged) {
			return fail("passkey tegelijk elders gebruikt")
		}
		return err
	}
	if second {
		if err := h.attempts.Reset(ctx, strconv.FormatInt(accountID, 10)); err != nil {
			return err
		}
	}
	acc, err := h.accounts.ByID(ctx, accountID)
	if errors.Is(err, account.ErrNotFound) {
		h.dropPending(ctx)
		return h.passkeyFailed(w, r, http.StatusGone, msgPasskeyLoginFailed)
	}
	if err != nil {
		return err
	}
	if second {
		remember, next := h.sessions.GetBool(ctx, keyRemember), h.sessions.GetString(ctx, keyNext)
		h.dropPending(ctx)
		return h.login.FinishLogin(w, r, acc, remember, next)
	}
	next := httpx.SafeNext(r.PostForm.Get("volgende"), "")
	// With user verification (PIN, fingerprint, face) the passkey is two
	// factors itself; without it, it is something the person has, and the
	// second step follows as after a password (with another factor).
	if parsed.Response.AuthenticatorData.Flags.HasUserVerified() {
		return h.login.FinishLogin(w, r, acc, false, next)
	}
	held, err := h.Hold(w, r, acc, false, next, "passkey")
	if err != nil || held {
		if held {
			h.sessions.Put(ctx, keyPendingPasskey, cred.ID)
		}
		return err
	}
	return h.login.FinishLogin(w, r, acc, false, next)
}

// passkeyFailed answers a failed passkey login with the way back.
func (h *Handler) passkeyFailed(w http.ResponseWriter, r *http.Request, status int, msg string) error {
	back := "/inloggen"
	if h.pending(r.Context()) != 0 {
		back = SecondStepPath
	}
	return httpx.Render(w, r, status, PasskeyFailedPage(httpx.PageFor(r, "Inloggen met een passkey"), msg, back))
}
