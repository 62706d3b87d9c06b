package httpx

import (
	"net/http"

	"github.com/alexedwards/scs/v2"
)

// Session keys of the one-off message shown after a redirect.
const (
	FlashKey      = "flash"
	FlashErrorKey = "flash_error"
)

// Flash stores a confirmation to show on the next page.
func Flash(sm *scs.SessionManager, r *http.Request, msg string) {
	sm.Put(r.Context(), FlashKey, msg)
}

// FlashError stores a problem report to show on the next page.
func FlashError(sm *scs.SessionManager, r *http.Request, msg string) {
	sm.Put(r.Context(), FlashErrorKey, msg)
}
