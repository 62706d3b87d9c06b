// Package httpx holds the small HTTP helpers every feature shares: handlers
// that return errors, rendering into a buffer, error pages, page chrome and
// the logged-in viewer in the request context.
package httpx

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"syscall"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"github.com/buurtkracht/buurtkracht/internal/fault"
	"github.com/buurtkracht/buurtkracht/internal/gzipsplice"
	"github.com/buurtkracht/buurtkracht/web/layout"
)

// Errors a handler returns to get the matching error page. The first
// three are the shared kinds of package fault, named here too so a handler
// that only speaks HTTP need not import it; a feature's own errors wrap the
// kinds (fault.Wrap) and reach the same pages.
var (
	ErrNotFound     = fault.ErrNotFound
	ErrForbidden    = fault.ErrForbidden
	ErrBadRequest   = fault.ErrInvalid
	ErrUnauthorized = errors.New("httpx: login required")
	// ErrMethodNotAllowed is for a path that exists, asked with a method it
	// does not take; the caller sets the Allow header first.
	ErrMethodNotAllowed = errors.New("httpx: method not allowed")
)

// HandlerFunc is a handler that reports failure by returning an error.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// Handle adapts fn to http.HandlerFunc: ErrNotFound becomes the 404 page,
// ErrForbidden 403, an unreachable database 503, anything else a logged 500.
func Handle(fn HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := fn(w, r); err != nil {
			Error(w, r, err)
		}
	}
}

// Error writes the error page that fits err. Internal errors are logged with
// the request id; the user never sees their text.
func Error(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, ErrNotFound):
		errorPage(w, r, http.StatusNotFound, "Pagina niet gevonden",
			"Deze pagina bestaat niet (meer). Controleer het adres of ga terug naar de startpagina.")
	case errors.Is(err, ErrForbidden):
		errorPage(w, r, http.StatusForbidden, "Geen toegang",
			"Je hebt geen toegang tot deze pagina. Denk je dat dit niet klopt? Neem contact op met de beheerder van je organisatie.")
	case errors.Is(err, ErrUnauthorized):
		RedirectToLogin(w, r)
	case errors.Is(err, ErrBadRequest):
		errorPage(w, r, http.StatusBadRequest, "Verzoek niet begrepen",
			"We konden dit verzoek niet verwerken. Ga terug en probeer het opnieuw.")
	case errors.Is(err, fault.ErrConflict):
		errorPage(w, r, http.StatusConflict, "Intussen gewijzigd",
			"Iemand anders heeft dit intussen gewijzigd of afgehandeld. Laad de pagina opnieuw en kijk of je wijziging nog nodig is.")
	case errors.Is(err, fault.ErrGone):
		errorPage(w, r, http.StatusGone, "Niet meer geldig",
			"Deze link of uitnodiging is verlopen of ingetrokken. Vraag zo nodig om een nieuwe.")
	case errors.Is(err, ErrMethodNotAllowed):
		errorPage(w, r, http.StatusMethodNotAllowed, "Dit kan niet op deze pagina",
			"Deze pagina bestaat wel, maar kan dit verzoek niet verwerken. Ga terug en probeer het opnieuw via de knoppen op de pagina.")
	case ClientGone(r, err):
		// Nothing to answer and nothing wrong on our side: the request log
		// notes it once, at INFO (app.logRequests), instead of an error here.
	case fault.Unavailable(err) || errors.Is(err, context.DeadlineExceeded):
		slog.WarnContext(r.Context(), "database unavailable", "err", err, "path", r.URL.Path)
		Unavailable(w, r)
	default:
		slog.ErrorContext(r.Context(), "request failed", "err", err, "method", r.Method, "path", r.URL.Path)
		errorPage(w, r, http.StatusInternalServerError, "Er ging iets mis",
			"Er ging bij ons iets mis. Je invoer is niet opgeslagen. Probeer het over een paar minuten opnieuw.")
	}
}

// ClientGone reports whether err is the result of the client going away
// (closed the tab, lost the network, or too slow to take the response
// before the server's write timeout). A failed write to the client cancels
// the request's context, as a dropped connection does, so a done context
// is the sign; the error is then one of its consequences: the context's
// own error, a database call cut off by it, or the write error itself
// (broken pipe, connection reset, i/o timeout).
func ClientGone(r *http.Request, err error) bool {
	if err == nil || r.Context().Err() == nil {
		return false
	}
	var netErr net.Error
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, net.ErrClosed) ||
		errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, http.ErrHandlerTimeout) ||
		errors.As(err, &netErr) || fault.Unavailable(err)
}

// Unavailable writes the 503 page shown while the database cannot be reached.
func Unavailable(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Retry-After", "5")
	errorPage(w, r, http.StatusServiceUnavailable, "Even niet beschikbaar",
		"Buurtkracht is even niet bereikbaar door onderhoud of een storing. Je gegevens zijn veilig. Probeer het over een paar seconden opnieuw.")
}

func errorPage(w http.ResponseWriter, r *http.Request, status int, title, msg string) {
	if WantsJSON(r) {
		_ = JSON(w, status, map[string]string{"error": msg})
		return
	}
	p := PageFor(r, title)
	p.Flash = ""
	if err := Render(w, r, status, layout.ErrorPage(p, msg)); err != nil {
		if ClientGone(r, err) {
			return // templ stops at a done context; nobody is waiting for the page
		}
		slog.ErrorContext(r.Context(), "render error page", "err", err)
		http.Error(w, msg, status)
	}
}

// Render renders c into a buffer first, so a template error never sends half
// a page, then writes it with status.
func Render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) error {
	var buf bytes.Buffer
	if err := c.Render(r.Context(), &buf); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
	return nil
}

// JSON writes v as JSON with status.
func JSON(w http.ResponseWriter, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
	return nil
}

// WantsJSON reports whether the request is for the JSON API.
func WantsJSON(r *http.Request) bool {
	return len(r.URL.Path) >= 5 && r.URL.Path[:5] == "/api/"
}

// Redirect answers a successful POST with 303 See Other.
func Redirect(w http.ResponseWriter, r *http.Request, url string) error {
	http.Redirect(w, r, url, http.StatusSeeOther)
	return nil
}

// RedirectToLogin sends an anonymous visitor to the login page, remembering
// where they were going (a local path only).
func RedirectToLogin(w http.ResponseWriter, r *http.Request) {
	if WantsJSON(r) {
		_ = JSON(w, http.StatusUnauthorized, map[string]string{"error": "Inloggen vereist."})
		return
	}
	target := "/inloggen"
	// HEAD answers as GET does, Location included.
	if (r.Method == http.MethodGet || r.Method == http.MethodHead) && r.URL.Path != "/" {
		target += "?volgende=" + urlQueryEscape(r.URL.RequestURI())
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// PathID reads the positive numeric id in the route parameter name. The
// router's patterns ({id:[0-9]+}) already refuse other text; this also
// refuses zero and numbers beyond int64, with ErrNotFound: a page for an
// id that cannot exist does not exist.
func PathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, name), 10, 64)
	if err != nil || id <= 0 {
		return 0, ErrNotFound
	}
	return id, nil
}

// RenderSpliced writes the page that page(body) renders, where body's HTML
// was rendered (and compressed) ahead of time and is shared between
// requests: with gzip, the body's compressed blocks are spliced into the
// compressed page chrome (internal/gzipsplice), so each request compresses
// only its own few kilobytes of chrome.
func RenderSpliced(w http.ResponseWriter, r *http.Request, status int, body gzipsplice.Body, page func(body templ.Component) templ.Component) error {
	if gzipsplice.AcceptsGzip(r) {
		return gzipsplice.Write(r.Context(), w, status, body, page)
	}
	return Render(w, r, status, page(body.Component()))
}
