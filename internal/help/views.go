package help

import (
	"strconv"

	"github.com/buurtkracht/buurtkracht/internal/validate"
	"github.com/buurtkracht/buurtkracht/web/ui"
)

// ListView is the /burenhulp page.
type ListView struct {
	Near    []Request
	Mine    []Request
	HasHome bool
	Home    string
	CanAsk  bool
	Worker  bool
}

// FormView is the new-request form.
type FormView struct {
	Form     Form
	Errors   validate.Errors
	Choices  []Choice
	Min, Max string // date bounds of the inputs
}

// ShowView is one request's page.
type ShowView struct {
	Request      Request
	Mine         bool
	CanRespond   bool
	Conversation int64 // the viewer's conversation about it (0: none)
	Form         RespondForm
	Errors       validate.Errors
}

// SectionView is the neighbourhood page's section.
type SectionView struct {
	LoggedIn bool
	CanAsk   bool
	Items    []Request
}

func idStr(id int64) string { return strconv.FormatInt(id, 10) }

func kindOptions() []ui.Option {
	return []ui.Option{{Value: string(Ask), Label: "Ik vraag hulp"}, {Value: string(Offer), Label: "Ik bied hulp aan"}}
}

func categoryOptions() []ui.Option {
	out := make([]ui.Option, 0, len(Categories))
	for _, c := range Categories {
		out = append(out, ui.Option{Value: string(c), Label: CategoryLabel(c)})
	}
	return out
}

func choiceOptions(cs []Choice) []ui.Option {
	out := make([]ui.Option, 0, len(cs))
	for i, c := range cs {
		label := c.Name
		if i == 0 {
			label += " (je eigen buurt)"
		}
		out = append(out, ui.Option{Value: idStr(c.ID), Label: label})
	}
	return out
}

// meta is the line under an item: who, where, when.
func meta(r Request) string {
	return r.FirstName + " · " + r.NeighbourhoodName + " · " + periodText(r)
}

func responsesText(n int) string {
	switch n {
	case 0:
		return "Nog niemand heeft gereageerd"
	case 1:
		return "1 buur heeft gereageerd"
	}
	return strconv.Itoa(n) + " buren hebben gereageerd"
}
