package activity

import (
	"strconv"

	"github.com/buurtkracht/buurtkracht/internal/validate"
	"github.com/buurtkracht/buurtkracht/web/ui"
)

// ListQuery is the list's filter as typed, kept in the filter form.
type ListQuery struct {
	Neighbourhood, Strategy, From, To string
}

// ListView is the view model of the list page.
type ListView struct {
	Query    ListQuery
	Areas    []Area
	Items    []Activity
	More     bool
	Page     int
	ViewerID int64
}

// FormView is the view model of the create and edit forms.
type FormView struct {
	Form        Form
	Errors      validate.Errors
	ID          int64 // 0 when creating
	Areas       []Area
	Initiatives []InitiativeOption
}

// Action is the URL the form posts to.
func (fv FormView) Action() string {
	if fv.ID == 0 {
		return "/activiteiten/nieuw"
	}
	return idPath(fv.ID, "/bewerken")
}

func areaOptions(areas []Area) []ui.Option {
	out := make([]ui.Option, len(areas))
	for i, a := range areas {
		out[i] = ui.Option{Value: strconv.FormatInt(a.ID, 10), Label: a.Name}
	}
	return out
}

func initiativeOptions(opts []InitiativeOption) []ui.Option {
	out := make([]ui.Option, len(opts))
	for i, o := range opts {
		out[i] = ui.Option{Value: strconv.FormatInt(o.ID, 10), Label: o.Title}
	}
	return out
}

func idPath(id int64, suffix string) string {
	return "/activiteiten/" + strconv.FormatInt(id, 10) + suffix
}
