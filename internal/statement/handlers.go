package statement

import (
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/buurtkracht/buurtkracht/internal/config"
	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/web/dutch"
)

// Handler serves the statements. They need no database: everything on them
// comes from the settings, fixed when the app starts.
type Handler struct {
	settings Settings
}

// NewHandler builds the handler from the configuration and the periods
// other features fix in code.
func NewHandler(cfg config.Config, fixed Fixed) *Handler {
	return &Handler{settings: SettingsFrom(cfg, fixed, time.Now())}
}

// Accessibility is the accessibility statement (toegankelijkheidsverklaring).
func (h *Handler) Accessibility(w http.ResponseWriter, r *http.Request) error {
	p := httpx.PageFor(r, "Toegankelijkheidsverklaring")
	p.Description = "Hoe toegankelijk Buurtkracht is, hoe we dat testen, wat nog niet goed werkt en waar je terecht kunt."
	return httpx.Render(w, r, http.StatusOK, AccessibilityPage(p, h.view()))
}

// Privacy is the privacy statement (privacyverklaring, AVG articles 13 and 14).
func (h *Handler) Privacy(w http.ResponseWriter, r *http.Request) error {
	p := httpx.PageFor(r, "Privacyverklaring")
	p.Description = "Welke gegevens Buurtkracht bewaart, waarvoor, wie ze ziet, hoe lang we ze houden en wat je rechten zijn."
	return httpx.Render(w, r, http.StatusOK, PrivacyPage(p, h.view()))
}

// Security explains how to report a vulnerability (coordinated
// vulnerability disclosure); security.txt points here as its Policy.
func (h *Handler) Security(w http.ResponseWriter, r *http.Request) error {
	p := httpx.PageFor(r, "Kwetsbaarheid melden")
	p.Description = "Heb je een zwakke plek in de beveiliging van Buurtkracht gevonden? Zo meld je die."
	return httpx.Render(w, r, http.StatusOK, SecurityPage(p, h.view()))
}

// SecurityTxt serves /.well-known/security.txt as plain UTF-8 text.
func (h *Handler) SecurityTxt(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	_, _ = w.Write([]byte(h.settings.SecurityTxt()))
}

// View is what the statement pages show.
type View struct {
	Controller      string
	ControllerStart string // Controller with a capital, to begin a sentence
	ContactEmail    string
	Site            string // host name of the platform
	Revised         string // "6 december 2026"

	SessionIdle     string // "2 uur"
	SessionLifetime string // "12 uur"
	Retention       []Period

	SecurityContact     string // the security.txt Contact URI
	SecurityContactText string // the same without "mailto:", to read
	SecurityExpires     string // "5 december 2027"
}

// Period is one line of the retention list: what is kept, and how long.
type Period struct {
	What string
	How  string
}

func (h *Handler) view() View {
	s := h.settings
	return View{
		Controller:          s.Controller,
		ControllerStart:     capital(s.Controller),
		ContactEmail:        s.ContactEmail,
		Site:                s.Site(),
		Revised:             dutch.Date(Revised),
		SessionIdle:         Duration(s.SessionIdle),
		SessionLifetime:     Duration(s.SessionLifetime),
		Retention:           s.Retention(),
		SecurityContact:     s.SecurityContact,
		SecurityContactText: strings.TrimPrefix(s.SecurityContact, "mailto:"),
		SecurityExpires:     dutch.Date(s.Expires),
	}
}

// capital returns s with its first letter upper case: "de organisatie…"
// begins a sentence as "De organisatie…".
func capital(s string) string {
	if s == "" {
		return s
	}
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:]
}

// Retention lists how long each kind of data is kept, from the settings.
// Periods that are not known (zero) are left out rather than guessed.
func (s Settings) Retention() []Period {
	var out []Period
	add := func(ok bool, what, how string) {
		if ok {
			out = append(out, Period{what, how})
		}
	}
	add(true, "Je account en wat je zelf op het platform zet",
		"Zolang je account bestaat. Verwijder je je account, dan wissen we je naam, e-mailadres en wachtwoord meteen. "+
			"Wat je voor anderen schreef (zoals signalen, reacties en berichten) blijft staan, zonder je naam.")
	add(s.NotesRetention > 0, "Privénotities van opbouwwerkers bij straatcontacten en activiteiten",
		Duration(s.NotesRetention)+". Daarna wist het platform de notitie zelf; het contact blijft alleen als telling bestaan.")
	add(s.NotificationsRetention > 0, "Meldingen in het platform",
		Duration(s.NotificationsRetention)+". Daarna verwijdert het platform ze zelf.")
	add(s.SessionIdle > 0 && s.SessionLifetime > 0, "Je inlogsessie",
		"Je wordt uitgelogd na "+Duration(s.SessionIdle)+" zonder activiteit, en uiterlijk "+Duration(s.SessionLifetime)+
			" nadat je inlogde. Verlopen sessies verwijdert het platform binnen een kwartier.")
	add(s.ResetLink > 0, "Link om je wachtwoord opnieuw in te stellen",
		"Werkt "+Duration(s.ResetLink)+". Het platform bewaart alleen een versleutelde vorm van de link.")
	add(s.ConfirmLink > 0, "Link om je e-mailadres te bevestigen", "Werkt "+Duration(s.ConfirmLink)+".")
	add(s.InvitationDays > 0, "Uitnodiging om mede-eigenaar van een initiatief te worden",
		"Vervalt na "+Days(s.InvitationDays)+". We bewaren geen leesbaar e-mailadres, alleen een versleutelde vorm en een korte hint.")
	add(s.TokenMaxDays > 0, "API-tokens van opbouwwerkers",
		"Een token werkt zo lang als de opbouwwerker kiest, hoogstens "+Days(s.TokenMaxDays)+
			". De naam en de data van het token blijven zichtbaar op de accountpagina tot het account wordt verwijderd.")
	add(true, "Tellers tegen misbruik (zoals te vaak een verkeerd wachtwoord)",
		"Hoogstens 1 uur. Ze bevatten geen leesbaar IP-adres of e-mailadres, alleen een versleutelde vorm.")
	add(true, "Logboek van wie andermans gegevens inzag",
		"Het platform wist dit logboek niet zelf: het is er om misbruik later te kunnen controleren. "+
			"Verwijder je je account, dan blijft het logboek, maar niet meer met jouw naam.")
	return out
}
