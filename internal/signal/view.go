package signal

import (
	"net/url"
	"strconv"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/role"
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
	Role      Author   // the capacity the viewer may respond in, "" when none
	Next      []Status // statuses the viewer may move it to
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
	case r.AuthorRole == AuthorRaiser && sv.Mine:
		return "Jij (melder)"
	case r.AuthorRole == AuthorRaiser:
		return "De melder"
	case sv.ShowNames && r.AuthorName != "":
		return r.AuthorName + " (" + responderLabel(r.AuthorRole) + ")"
	case r.AuthorRole == AuthorOfficer:
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

func addresseeOptions() []ui.Option {
	out := make([]ui.Option, len(Addressees))
	for i, a := range Addressees {
		out[i] = ui.Option{Value: string(a.Code), Label: a.Label}
	}
	return out
}

func statusOptions(statuses []Status) []ui.Option {
	out := make([]ui.Option, len(statuses))
	for i, s := range statuses {
		out[i] = ui.Option{Value: string(s), Label: StatusLabel(s)}
	}
	return out
}

// responderLabel names a responder's capacity, after their name.
func responderLabel(a Author) string {
	switch a {
	case AuthorOfficer:
		return "gemeente"
	case AuthorWorker:
		return "opbouwwerker"
	}
	return string(a)
}

func raisedAsLabel(s Signal, mine bool) string {
	switch {
	case mine:
		return "jou"
	case s.RaisedAs == role.Worker:
		return "een opbouwwerker"
	}
	return "een bewoner"
}

// sectionMeta is the line under a signal on the neighbourhood page, after
// its status: theme, date and, once someone recognises it, how many do.
func sectionMeta(s Signal) string {
	out := " · " + theme.Label(s.Theme) + " · gemeld op " + dutch.Date(s.CreatedAt)
	if s.Recognitions > 0 {
		out += " · herkend " + recognisedBy(s.Recognitions)
	}
	return out
}

func isoTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }
