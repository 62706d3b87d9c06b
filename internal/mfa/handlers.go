package mfa

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"image/png"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/alexedwards/scs/v2"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/buurtkracht/buurtkracht/internal/account"
	"github.com/buurtkracht/buurtkracht/internal/audit"
	"github.com/buurtkracht/buurtkracht/internal/config"
	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/ratelimit"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/validate"
)

// Paths of the feature.
const (
	SettingsPath   = "/account/tweestapsverificatie"
	SetupPath      = "/account/tweestapsverificatie/instellen"
	QRPath         = "/account/tweestapsverificatie/qr.png"
	SecondStepPath = "/inloggen/tweede-stap"
	SessionsPath   = "/account/sessies"
)

// PendingValidity is how long a login waits for its second step.
const PendingValidity = 5 * time.Minute

// Wrong second steps per account per window; then the account waits.
const (
	attemptsPerAccount = 5
	attemptsWindow     = 15 * time.Minute
)

// Session keys. The pending keys hold a login between password and code:
// the session is logged out meanwhile (no account.sessionUserID).
const (
	keyPending      = "mfa.pending" // account id identified by its first way in
	keyPendingUntil = "mfa.pendingUntil"
	keyRemember     = "mfa.remember"
	keyNext         = "mfa.next"
	keyMethod       = "mfa.method"
	keySetup        = "mfa.setup" // sealed secret being enrolled
	keyNewCodes     = "mfa.codes" // recovery codes to show once
)

// Accounts is what the feature needs of the account store.
type Accounts interface {
	ByID(ctx context.Context, id int64) (account.Account, error)
	VerifyPassword(ctx context.Context, id int64, password string) (bool, error)
}

// Login finishes a login once both steps are passed (account.Handler).
type Login interface {
	FinishLogin(w http.ResponseWriter, r *http.Request, acc account.Account, remember bool, next string) error
}

// Handler serves the second step, the settings and the sessions pages, and
// holds logins back for it (account.SecondFactor).
type Handler struct {
	store     *Store
	sessions  *scs.SessionManager
	accounts  Accounts
	login     Login
	audit     *audit.Log
	sealer    *Sealer
	required  []role.Role
	attempts  *ratelimit.Limiter // wrong second steps, per account
	passwords *ratelimit.Limiter // wrong passwords, with login's (see apitoken)
	touched   *touchCache
	// passkeyIPs counts failed passkey logins per client address.
	passkeyIPs *ratelimit.Limiter
	// baseURL gives the passkeys' relying party ID and origin;
	// originFromRequest (tests) takes them from the request instead.
	baseURL           string
	originFromRequest bool
	// Now is the clock of code checks (tests move it).
	Now func() time.Time
}

// NewHandler returns the handler. passwords is the login limiter per
// e-mail address: wrong passwords typed here add up with login's.
func NewHandler(cfg config.Config, db *pgxpool.Pool, sm *scs.SessionManager, accounts Accounts, login Login, log *audit.Log,
	passwords *ratelimit.Limiter) *Handler {
	sealer, err := NewSealer(cfg.MFAKey)
	if err != nil {
		// config.Validate refuses such a key before the app is built.
		panic(err)
	}
	return &Handler{store: NewStore(db), sessions: sm, accounts: accounts, login: login, audit: log, sealer: sealer,
		required: cfg.Require2FARoles, attempts: ratelimit.New(db, "mfa-account", attemptsPerAccount, attemptsWindow),
		passwords: passwords, touched: newTouchCache(), Now: time.Now,
		passkeyIPs: ratelimit.New(db, "passkey-ip", passkeyFailuresPerIP, attemptsWindow),
		baseURL:    cfg.BaseURL, originFromRequest: cfg.Env == "test"}
}

// Required reports whether v holds a role that must use a second factor.
func (h *Handler) Required(v *httpx.Viewer) bool {
	return v != nil && slices.ContainsFunc(h.required, v.Has)
}

// Hold implements account.SecondFactor: an account with a second factor is
// parked in a logged-out session (fresh token) and sent to the second step.
func (h *Handler) Hold(w http.ResponseWriter, r *http.Request, acc account.Account, remember bool, next, method string) (bool, error) {
	ctx := r.Context()
	on, err := h.store.Enabled(ctx, acc.ID)
	if err != nil || !on {
		return false, err
	}
	if err := account.LogOutSession(r, h.sessions); err != nil {
		return false, err
	}
	h.sessions.Put(ctx, keyPending, acc.ID)
	h.sessions.Put(ctx, keyPendingUntil, h.Now().Add(PendingValidity).Unix())
	h.sessions.Put(ctx, keyRemember, remember)
	h.sessions.Put(ctx, keyNext, next)
	h.sessions.Put(ctx, keyMethod, method)
	h.sessions.Remove(ctx, keyPendingPasskey)
	return true, httpx.Redirect(w, r, SecondStepPath)
}

// pending returns the account waiting for its second step, or 0.
func (h *Handler) pending(ctx context.Context) int64 {
	id := h.sessions.GetInt64(ctx, keyPending)
	if id == 0 || h.Now().Unix() > h.sessions.GetInt64(ctx, keyPendingUntil) {
		return 0
	}
	return id
}

func (h *Handler) dropPending(ctx context.Context) {
	for _, k := range []string{keyPending, keyPendingUntil, keyRemember, keyNext, keyMethod, keyPendingPasskey} {
		h.sessions.Remove(ctx, k)
	}
}

// SecondStep shows the code form of a login waiting for it.
func (h *Handler) SecondStep(w http.ResponseWriter, r *http.Request) error {
	if httpx.ViewerFrom(r.Context()) != nil {
		return httpx.Redirect(w, r, "/account")
	}
	if h.pending(r.Context()) == 0 {
		return httpx.Render(w, r, http.StatusOK, NoSecondStepPage(httpx.PageFor(r, "Tweede stap van het inloggen")))
	}
	return httpx.Render(w, r, http.StatusOK, SecondStepPage(httpx.PageFor(r, "Tweede stap van het inloggen"), h.secondStepView(r), nil))
}

// DoSecondStep checks the code (or a recovery code) and then logs in.
func (h *Handler) DoSecondStep(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if httpx.ViewerFrom(ctx) != nil {
		return httpx.Redirect(w, r, "/account")
	}
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	id := h.pending(ctx)
	if id == 0 {
		h.dropPending(ctx)
		return httpx.Render(w, r, http.StatusGone, NoSecondStepPage(httpx.PageFor(r, "Tweede stap van het inloggen")))
	}
	key := strconv.FormatInt(id, 10)
	ok, retry, err := h.attempts.Check(ctx, key)
	if err != nil {
		return err
	}
	if !ok {
		w.Header().Set("Retry-After", strconv.Itoa(ratelimit.RetryAfterSeconds(retry)))
		p := httpx.PageFor(r, "Tweede stap van het inloggen")
		p.Flash, p.FlashError = msgTooManyCodes(retry), true
		return httpx.Render(w, r, http.StatusTooManyRequests, SecondStepPage(p, h.secondStepView(r), nil))
	}
	errs := validate.Errors{}
	code := strings.TrimSpace(r.PostForm.Get("code"))
	if code == "" {
		errs.Add("code", msgCodeRequired)
		return httpx.Render(w, r, http.StatusUnprocessableEntity, SecondStepPage(httpx.PageFor(r, "Tweede stap van het inloggen"), h.secondStepView(r), errs))
	}
	res, err := h.verify(ctx, id, code)
	if err != nil {
		return err
	}
	if res != codeOK {
		if err := h.attempts.Add(ctx, key); err != nil {
			return err
		}
		if err := h.store.Failure(ctx, id, res.auditDetail()); err != nil {
			return err
		}
		errs.Add("code", res.message())
		return httpx.Render(w, r, http.StatusUnprocessableEntity, SecondStepPage(httpx.PageFor(r, "Tweede stap van het inloggen"), h.secondStepView(r), errs))
	}
	if err := h.attempts.Reset(ctx, key); err != nil {
		return err
	}
	acc, err := h.accounts.ByID(ctx, id)
	if errors.Is(err, account.ErrNotFound) {
		h.dropPending(ctx)
		return httpx.Render(w, r, http.StatusGone, NoSecondStepPage(httpx.PageFor(r, "Tweede stap van het inloggen")))
	}
	if err != nil {
		return err
	}
	remember, next := h.sessions.GetBool(ctx, keyRemember), h.sessions.GetString(ctx, keyNext)
	h.dropPending(ctx)
	return h.login.FinishLogin(w, r, acc, remember, next)
}

// result is the outcome of a code check.
type result int

const (
	codeOK result = iota
	codeWrong
	codeReused
	recoveryWrong
)

func (c result) message() string {
	switch c {
	case codeReused:
		return msgCodeReused
	case recoveryWrong:
		return msgRecoveryWrong
	}
	return msgCodeWrong
}

// auditDetail says what failed without the code itself.
func (c result) auditDetail() string {
	switch c {
	case codeReused:
		return "tweede stap mislukt: code uit de app al gebruikt"
	case recoveryWrong:
		return "tweede stap mislukt: onbekende of gebruikte herstelcode"
	}
	return "tweede stap mislukt: verkeerde code uit de app"
}

// verify checks input as a code from the app (six digits) or else as a
// recovery code, and uses it up when it is right.
func (h *Handler) verify(ctx context.Context, accountID int64, input string) (result, error) {
	if !IsTOTPCode(input) {
		used, err := h.store.UseRecoveryCode(ctx, accountID, HashRecoveryCode(accountID, input))
		if err != nil || !used {
			return recoveryWrong, err
		}
		return codeOK, nil
	}
	sealed, err := h.store.Secret(ctx, accountID)
	if errors.Is(err, ErrNotEnabled) {
		// An account with passkeys only has no app whose code could match.
		return codeWrong, nil
	}
	if err != nil {
		return codeWrong, err
	}
	secret, err := h.sealer.Open(accountID, sealed)
	if err != nil {
		return codeWrong, err
	}
	step, ok := MatchStep(secret, input, h.Now())
	if !ok {
		return codeWrong, nil
	}
	fresh, err := h.store.UseStep(ctx, accountID, step)
	if err != nil || !fresh {
		return codeReused, err
	}
	return codeOK, nil
}

// RequireEnrolment sends a logged-in person whose role needs a second
// factor, and who has none yet, to the settings page from every page but
// those of the enrolment and logging out.
func (h *Handler) RequireEnrolment(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v := httpx.ViewerFrom(r.Context())
		// A trusted organisation's sign-on that asserted its own second
		// factor stands in for ours in this session.
		if !h.Required(v) || allowedUnenrolled(r.URL.Path) || account.FactorByProvider(r, h.sessions, v.ID) {
			next.ServeHTTP(w, r)
			return
		}
		on, err := h.store.Enabled(r.Context(), v.ID)
		if err != nil {
			httpx.Error(w, r, err)
			return
		}
		if on {
			next.ServeHTTP(w, r)
			return
		}
		http.Redirect(w, r, SettingsPath, http.StatusSeeOther)
	})
}

func allowedUnenrolled(path string) bool {
	return path == SettingsPath || strings.HasPrefix(path, SettingsPath+"/") || path == "/uitloggen" || strings.HasPrefix(path, "/static/")
}

// Settings shows the second factor's status, recovery codes just made, and
// the forms to make new ones or turn it off.
func (h *Handler) Settings(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var codes []string
	if h.sessions.Exists(ctx, keyNewCodes) {
		codes, _ = h.sessions.Pop(ctx, keyNewCodes).([]string)
	}
	return h.renderSettings(w, r, http.StatusOK, codes, nil)
}

func (h *Handler) renderSettings(w http.ResponseWriter, r *http.Request, status int, codes []string, errs validate.Errors) error {
	view, err := h.settingsView(r.Context(), httpx.ViewerFrom(r.Context()))
	if err != nil {
		return err
	}
	view.NewCodes = codes
	return httpx.Render(w, r, status, SettingsPage(httpx.PageFor(r, "Tweestapsverificatie"), view, errs))
}

// renderSettingsInput shows the settings page again with errors and the
// passkey name as typed.
func (h *Handler) renderSettingsInput(w http.ResponseWriter, r *http.Request, status int, errs validate.Errors, name string) error {
	view, err := h.settingsView(r.Context(), httpx.ViewerFrom(r.Context()))
	if err != nil {
		return err
	}
	view.PasskeyName = name
	return httpx.Render(w, r, status, SettingsPage(httpx.PageFor(r, "Tweestapsverificatie"), view, errs))
}

func (h *Handler) settingsView(ctx context.Context, v *httpx.Viewer) (SettingsView, error) {
	st, err := h.store.Status(ctx, v.ID)
	if err != nil {
		return SettingsView{}, err
	}
	keys, err := h.store.Passkeys(ctx, v.ID)
	if err != nil {
		return SettingsView{}, err
	}
	return SettingsView{Status: st, Required: h.Required(v), Passkeys: keys}, nil
}

// secondStepView says which second factors the waiting login can use.
func (h *Handler) secondStepView(r *http.Request) SecondStepView {
	ctx := r.Context()
	id := h.pending(ctx)
	if id == 0 {
		return SecondStepView{}
	}
	var view SecondStepView
	st, err := h.store.Status(ctx, id)
	if err != nil {
		logWarn(ctx, "second step: status", err)
		return SecondStepView{TOTP: true}
	}
	view.TOTP = st.Enabled
	keys, err := h.store.Passkeys(ctx, id)
	if err != nil {
		logWarn(ctx, "second step: passkeys", err)
	}
	skip, _ := h.sessions.Get(ctx, keyPendingPasskey).([]byte)
	for _, k := range keys {
		if !bytes.Equal(k.Credential.ID, skip) {
			view.Passkey = true
		}
	}
	return view
}

// Setup shows a new secret (as text and QR code) and asks for a code to
// confirm it. The secret waits, sealed, in the session until then.
func (h *Handler) Setup(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := httpx.ViewerFrom(ctx)
	if st, err := h.store.Status(ctx, v.ID); err != nil {
		return err
	} else if st.Enabled {
		return httpx.Redirect(w, r, SettingsPath)
	}
	secret, err := h.setupSecret(ctx, v, true)
	if err != nil {
		return err
	}
	return httpx.Render(w, r, http.StatusOK, SetupPage(httpx.PageFor(r, "Tweestapsverificatie instellen"), GroupSecret(secret), nil))
}

// setupSecret returns the secret being enrolled, making one when asked and
// there is none.
func (h *Handler) setupSecret(ctx context.Context, v *httpx.Viewer, create bool) (string, error) {
	if sealed, ok := h.sessions.Get(ctx, keySetup).([]byte); ok {
		if secret, err := h.sealer.Open(v.ID, sealed); err == nil {
			return secret, nil
		}
	}
	if !create {
		return "", nil
	}
	secret, err := NewSecret(v.Email)
	if err != nil {
		return "", err
	}
	sealed, err := h.sealer.Seal(v.ID, secret)
	if err != nil {
		return "", err
	}
	h.sessions.Put(ctx, keySetup, sealed)
	return secret, nil
}

// QR serves the QR code of the secret being enrolled as a PNG.
func (h *Handler) QR(w http.ResponseWriter, r *http.Request) error {
	v := httpx.ViewerFrom(r.Context())
	secret, err := h.setupSecret(r.Context(), v, false)
	if err != nil {
		return err
	}
	if secret == "" {
		return httpx.ErrNotFound
	}
	key, err := Key(secret, v.Email)
	if err != nil {
		return err
	}
	img, err := key.Image(240, 240)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "image/png")
	_, err = w.Write(buf.Bytes())
	return err
}

// Confirm stores the secret once a code from the app shows it was set up
// right, and makes the recovery codes (shown once on the settings page).
func (h *Handler) Confirm(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := httpx.ViewerFrom(ctx)
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	secret, err := h.setupSecret(ctx, v, false)
	if err != nil {
		return err
	}
	if secret == "" {
		httpx.FlashError(h.sessions, r, msgSetupExpired)
		return httpx.Redirect(w, r, SetupPath)
	}
	errs := validate.Errors{}
	code := r.PostForm.Get("code")
	step, ok := MatchStep(secret, code, h.Now())
	switch {
	case strings.TrimSpace(code) == "":
		errs.Add("code", msgCodeRequired)
	case !ok:
		errs.Add("code", msgCodeWrong)
	}
	if !errs.Valid() {
		return httpx.Render(w, r, http.StatusUnprocessableEntity, SetupPage(httpx.PageFor(r, "Tweestapsverificatie instellen"), GroupSecret(secret), errs))
	}
	sealed, err := h.sealer.Seal(v.ID, secret)
	if err != nil {
		return err
	}
	codes, hashes, err := recoveryCodes(v.ID)
	if err != nil {
		return err
	}
	if err := h.store.Enable(ctx, v.ID, sealed, step, hashes); err != nil && !errors.Is(err, ErrAlreadyEnabled) {
		return err
	} else if err != nil {
		h.sessions.Remove(ctx, keySetup)
		return httpx.Redirect(w, r, SettingsPath)
	}
	h.sessions.Remove(ctx, keySetup)
	h.sessions.Put(ctx, keyNewCodes, codes)
	httpx.Flash(h.sessions, r, flashEnabled)
	return httpx.Redirect(w, r, SettingsPath)
}

func recoveryCodes(accountID int64) ([]string, [][]byte, error) {
	codes, err := NewRecoveryCodes()
	if err != nil {
		return nil, nil, err
	}
	hashes := make([][]byte, len(codes))
	for i, c := range codes {
		hashes[i] = HashRecoveryCode(accountID, c)
	}
	return codes, hashes, nil
}

// checkPassword checks the password typed on a settings form, counting
// wrong ones with login's. It answers the request itself when the limit is
// reached (done true).
func (h *Handler) checkPassword(w http.ResponseWriter, r *http.Request, field string, errs validate.Errors) (bool, error) {
	ctx := r.Context()
	v := httpx.ViewerFrom(ctx)
	key := strings.ToLower(v.Email)
	ok, retry, err := h.passwords.Check(ctx, key)
	if err != nil {
		return false, err
	}
	if !ok {
		w.Header().Set("Retry-After", strconv.Itoa(ratelimit.RetryAfterSeconds(retry)))
		view, err := h.settingsView(ctx, v)
		if err != nil {
			return false, err
		}
		p := httpx.PageFor(r, "Tweestapsverificatie")
		p.Flash, p.FlashError = account.MsgTooManyPasswords(retry), true
		return true, httpx.Render(w, r, http.StatusTooManyRequests, SettingsPage(p, view, nil))
	}
	password := r.PostForm.Get(field)
	if password == "" {
		errs.Add(field, msgPasswordRequired)
		return false, nil
	}
	right, err := h.accounts.VerifyPassword(ctx, v.ID, password)
	if err != nil {
		return false, err
	}
	if !right {
		errs.Add(field, msgPasswordWrong)
		return false, h.passwords.Add(ctx, key)
	}
	return false, nil
}

// NewCodes replaces the recovery codes, after the password.
func (h *Handler) NewCodes(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := httpx.ViewerFrom(ctx)
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	errs := validate.Errors{}
	if done, err := h.checkPassword(w, r, "codes_password", errs); done || err != nil {
		return err
	}
	if !errs.Valid() {
		return h.renderSettings(w, r, http.StatusUnprocessableEntity, nil, errs)
	}
	codes, hashes, err := recoveryCodes(v.ID)
	if err != nil {
		return err
	}
	if err := h.store.ReplaceRecoveryCodes(ctx, v.ID, hashes); errors.Is(err, ErrNotEnabled) {
		return httpx.Redirect(w, r, SettingsPath)
	} else if err != nil {
		return err
	}
	h.sessions.Put(ctx, keyNewCodes, codes)
	httpx.Flash(h.sessions, r, flashNewCodes)
	return httpx.Redirect(w, r, SettingsPath)
}

// Disable turns the second factor off, after the password and a code;
// refused for a person whose role requires it.
func (h *Handler) Disable(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := httpx.ViewerFrom(ctx)
	if err := r.ParseForm(); err != nil {
		return httpx.ErrBadRequest
	}
	if h.Required(v) {
		return httpx.ErrForbidden
	}
	errs := validate.Errors{}
	if done, err := h.checkPassword(w, r, "off_password", errs); done || err != nil {
		return err
	}
	if code := strings.TrimSpace(r.PostForm.Get("off_code")); code == "" {
		errs.Add("off_code", msgCodeRequired)
	} else if errs.Valid() {
		res, err := h.verify(ctx, v.ID, code)
		if errors.Is(err, ErrNotEnabled) {
			return httpx.Redirect(w, r, SettingsPath)
		}
		if err != nil {
			return err
		}
		if res != codeOK {
			if err := h.store.Failure(ctx, v.ID, "uitzetten mislukt: "+res.auditDetail()); err != nil {
				return err
			}
			errs.Add("off_code", res.message())
		}
	}
	if !errs.Valid() {
		return h.renderSettings(w, r, http.StatusUnprocessableEntity, nil, errs)
	}
	if err := h.store.Disable(ctx, v.ID); err != nil && !errors.Is(err, ErrNotEnabled) {
		return err
	}
	httpx.Flash(h.sessions, r, flashDisabled)
	return httpx.Redirect(w, r, SettingsPath)
}

// AccountSection implements account.Section: the second factor's status
// and the link to "Mijn sessies".
func (h *Handler) AccountSection(ctx context.Context, v *httpx.Viewer) (templ.Component, error) {
	st, err := h.store.Status(ctx, v.ID)
	if err != nil {
		return nil, err
	}
	list, err := h.store.Sessions(ctx, v.ID, tokenHash(h.sessions.Token(ctx)))
	if err != nil {
		return nil, err
	}
	keys, err := h.store.Passkeys(ctx, v.ID)
	if err != nil {
		return nil, err
	}
	return Section(st, len(keys), h.Required(v), len(list)), nil
}

// tokenHash is how sessions are named outside the session store.
func tokenHash(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// logWarn logs a failure that must not fail the page.
func logWarn(ctx context.Context, msg string, err error) {
	slog.WarnContext(ctx, msg, "err", err)
}
