package account

import (
	"net/http"

	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/validate"
)

// msgSuspended tells a suspended person, after a correct password (so it
// reveals nothing to someone who does not know it), why they cannot log in
// and how to object.
func msgSuspended(reason string) string {
	return "Je account is geschorst door een beheerder. Reden: " + reason + " " +
		"Ben je het hier niet mee eens? Maak bezwaar bij de beheerders van het platform via het e-mailadres in de privacyverklaring (/privacy)."
}

// refuseSuspended shows the login page with the suspension's reason when
// acc is suspended, and reports whether it did. It runs before any session
// starts, whichever way the identity was established.
func (h *Handler) refuseSuspended(w http.ResponseWriter, r *http.Request, acc Account, next string) (bool, error) {
	reason, suspended, err := h.store.Suspension(r.Context(), acc.ID)
	if err != nil || !suspended {
		return false, err
	}
	errs := validate.Errors{}
	errs.Add("email", msgSuspended(reason))
	f := LoginForm{Email: acc.Email, Next: httpx.SafeNext(next, "")}
	return true, httpx.Render(w, r, http.StatusForbidden, LoginPage(httpx.PageFor(r, "Inloggen"), f, errs))
}
