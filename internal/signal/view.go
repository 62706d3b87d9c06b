package signal

import (
	"net/url"
	"strconv"
	"time"
	_ "time/tzdata" // Dutch times on hosts without zoneinfo

	"github.com/buurtkracht/buurtkracht/internal/theme"
	"github.com/buurtkracht/buurtkracht/internal/validate"
	"github.com/buurtkracht/buurtkracht/web/dutch"
	"github.com/buurtkracht/buurtkracht/web/ui"
)

// ListView is the view model of the list page.
type ListView struct {
	Items    []Signal
	More     bool
	Filter   ListFilter
	ViewerID int64
	CanRaise bool
	Worker   bool
	Officer  bool
}

// FormView is the view model of the "new signal" form (step 2).
type FormView struct {
	Form           Form
	Errors         validate.Errors
	Municipality   Municipality          // the municipality chosen in step 1
	Neighbourhoods []NeighbourhoodOption // its neighbourhoods only
	FromContact    bool                  // prefilled from a street contact
}

// chooseAgainURL leads back to step 1 with the current municipality chosen.
func (fv FormView) chooseAgainURL() string {
	return "/signalen/nieuw?" + url.Values{"kies": {"1"}, fieldMunicipality: {fv.Municipality.Code}}.Encode()
}

// ShowView is the view model of the detail page.
type ShowView struct {
	Signal    Signal
	Responses []Response
	Mine      bool     // the viewer raised it
	ShowNames bool     // show responders' names (not to public visitors)
	Role      string   // the role the viewer may respond in, "" when none
	Next      []string // statuses the viewer may move it to
	Form      ResponseForm
	Errors    validate.Errors
	// The conversation around the signal.
	LoggedIn    bool     // anonymous visitors are invited to log in
	CanEngage   bool     // may recognise and follow: logged in, not the raiser, not only as administrator
	Standing    Standing // whether the viewer recognises and follows it
	CanReply    bool     // the raiser, when not answering in a role
	Reply       ReplyForm
	ReplyErrors validate.Errors
	// EngageError is why recognising or following was refused.
	EngageError string
}

// LoginURL leads to the login page and back to the signal.
func (sv ShowView) LoginURL() string {
	return "/inloggen?" + url.Values{"volgende": {signalPath(sv.Signal.ID)}}.Encode()
}

// authorLabel names the author of a timeline entry as the viewer may see it:
// the raiser as "de melder", responders by name (to those who see names) or
// by role.
func (sv ShowView) authorLabel(r Response) string {
	switch {
	case r.AuthorRole == roleRaiser && sv.Mine:
		return "Jij (melder)"
	case r.AuthorRole == roleRaiser:
		return "De melder"
	case sv.ShowNames && r.AuthorName != "":
		return r.AuthorName + " (" + roleLabel(r.AuthorRole) + ")"
	case r.AuthorRole == roleOfficer:
		return "De gemeente"
	}
	return "Een opbouwwerker"
}

func neighbourhoodOptions(opts []NeighbourhoodOption) []ui.Option {
	out := make([]ui.Option, len(opts))
	for i, o := range opts {
		out[i] = ui.Option{Value: strconv.FormatInt(o.ID, 10), Label: o.Name, Group: o.District}
	}
	return out
}

func municipalityOptions(ms []Municipality) []ui.Option {
	out := make([]ui.Option, len(ms))
	for i, m := range ms {
		out[i] = ui.Option{Value: m.Code, Label: m.Name}
	}
	return out
}

func themeOptions() []ui.Option {
	out := make([]ui.Option, len(theme.All))
	for i, t := range theme.All {
		out[i] = ui.Option{Value: t.Code, Label: t.Label}
	}
	return out
}

func addresseeOptions() []ui.Option {
	out := make([]ui.Option, len(Addressees))
	for i, a := range Addressees {
		out[i] = ui.Option{Value: a.Code, Label: a.Label}
	}
	return out
}

func statusOptions(codes []string) []ui.Option {
	out := make([]ui.Option, len(codes))
	for i, c := range codes {
		out[i] = ui.Option{Value: c, Label: StatusLabel(c)}
	}
	return out
}

func roleLabel(role string) string {
	switch role {
	case roleOfficer:
		return "gemeente"
	case roleWorker:
		return "opbouwwerker"
	}
	return role
}

func raisedAsLabel(s Signal, mine bool) string {
	switch {
	case mine:
		return "jou"
	case s.RaisedAs == roleWorker:
		return "een opbouwwerker"
	}
	return "een bewoner"
}

func one(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

func checked(b bool) []string {
	if b {
		return []string{"ja"}
	}
	return nil
}

var amsterdam = dutch.Amsterdam

// dutchDate formats t (in Dutch time) as "14 maart 2026".
func dutchDate(t time.Time) string { return dutch.Date(t) }

// dutchDateTime formats t as "14 maart 2026, 09:30" in Dutch time.
func dutchDateTime(t time.Time) string { return dutch.DateTime(t) }

func itoa(n int) string { return strconv.Itoa(n) }

// sectionMeta is the line under a signal on the neighbourhood page, after
// its status: theme, date and, once someone recognises it, how many do.
func sectionMeta(s Signal) string {
	out := " · " + theme.Label(s.Theme) + " · gemeld op " + dutchDate(s.CreatedAt)
	if s.Recognitions > 0 {
		out += " · herkend " + recognisedBy(s.Recognitions)
	}
	return out
}

func isoTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }
