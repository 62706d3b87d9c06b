package account

import (
	"net/http"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/buurtkracht/buurtkracht/internal/config"
	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/ratelimit"
	"github.com/buurtkracht/buurtkracht/web/layout"
)

// Limits are the rate limiters of the account forms. Their counts live in
// PostgreSQL, shared by every instance.
type Limits struct {
	LoginIP      *ratelimit.Limiter // every login attempt, per client IP
	LoginAccount *ratelimit.Limiter // failed logins and wrong current passwords, per e-mail address
	RegisterIP   *ratelimit.Limiter // registration attempts, per client IP
	ResetIP      *ratelimit.Limiter // reset requests, per client IP
	ResetAccount *ratelimit.Limiter // reset mails, per e-mail address (no mail bombing)
	ConfirmMail  *ratelimit.Limiter // confirmation mails asked for again, per account
	EmailChange  *ratelimit.Limiter // changes of e-mail address asked for, per account
}

// Reset mails per address per hour; a person needs one, perhaps two.
const resetMailsPerAddress = 3

// Confirmation mails one account may ask for again per hour: enough for a
// mail that got lost or landed in the spam folder, too few to bomb anyone.
const confirmMailsPerAccount = 5

// Changes of e-mail address one account may ask for per hour: a typo or
// two, not a way to send mail to many addresses.
const emailChangesPerAccount = 3

// NewLimits builds the limiters from the configuration. Forgotten-password
// requests share the registration allowance per IP: both are anonymous forms
// that send or create something.
func NewLimits(cfg config.Config, db *pgxpool.Pool) *Limits {
	return &Limits{
		LoginIP:      ratelimit.New(db, "login-ip", cfg.LoginLimitPerIP, 15*time.Minute),
		LoginAccount: ratelimit.New(db, "login-account", cfg.LoginLimitPerAccount, 15*time.Minute),
		RegisterIP:   ratelimit.New(db, "register-ip", cfg.RegisterLimitPerIP, time.Hour),
		ResetIP:      ratelimit.New(db, "reset-ip", cfg.RegisterLimitPerIP, time.Hour),
		ResetAccount: ratelimit.New(db, "reset-account", resetMailsPerAddress, time.Hour),
		ConfirmMail:  ratelimit.New(db, "confirm-mail", confirmMailsPerAccount, time.Hour),
		EmailChange:  ratelimit.New(db, "email-change", emailChangesPerAccount, time.Hour),
	}
}

// limitedPage returns the page chrome for a refused attempt, with the Dutch
// notice as an alert, and sets Retry-After.
func limitedPage(w http.ResponseWriter, r *http.Request, title, what string, retry time.Duration) layout.Page {
	w.Header().Set("Retry-After", strconv.Itoa(ratelimit.RetryAfterSeconds(retry)))
	p := httpx.PageFor(r, title)
	p.Flash = msgTooMany(what, retry)
	p.FlashError = true
	return p
}
