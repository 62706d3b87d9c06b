package fund

import (
	"strings"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/money"
	"github.com/buurtkracht/buurtkracht/internal/theme"
	"github.com/buurtkracht/buurtkracht/web/ui"
)

var decideLabels = []ui.Label{{Field: "besluit", Text: lblVerdict}, {Field: "bedrag", Text: lblGranted},
	{Field: "voorwaarden", Text: lblConditions}, {Field: "motivering", Text: lblReason}}

func verdictOptions() []ui.Option {
	out := make([]ui.Option, len(Verdicts))
	for k, v := range Verdicts {
		out[k] = ui.Option{Value: string(v), Label: verdictLabels[v]}
	}
	return out
}

// applyLabels names the fields of the application form for the error
// summary, n budget lines included.
func applyLabels(n int) []ui.Label {
	out := []ui.Label{{Field: "regels", Text: "Regels van het potje"}}
	for k := 1; k <= n; k++ {
		out = append(out, ui.Label{Field: "regel_wat_" + itoa(k), Text: lblLineWhat + " " + itoa(k)},
			ui.Label{Field: "regel_bedrag_" + itoa(k), Text: lblLineAmount + " " + itoa(k)})
	}
	return append(out, ui.Label{Field: "eigen", Text: lblOwn}, ui.Label{Field: "doel", Text: lblPurpose},
		ui.Label{Field: "effect", Text: lblImpact}, ui.Label{Field: "datum", Text: lblActivityOn})
}

func windowText(f Fund) string {
	s := ""
	if f.PeriodLabel != "" {
		s = f.PeriodLabel + ": "
	}
	if f.ClosesOn == nil {
		return s + "vanaf " + dateNL(f.OpensOn)
	}
	return s + dateNL(f.OpensOn) + " tot en met " + dateNL(*f.ClosesOn)
}

func openText(f Fund, today time.Time) string {
	switch {
	case f.OpenOn(today) && f.RemainingCents() > 0:
		return "open voor aanvragen"
	case f.OpenOn(today):
		return "op"
	case today.Before(f.OpensOn):
		return "nog niet open"
	}
	return "gesloten"
}

func areaText(f Fund) string {
	if len(f.Areas) == 0 {
		return "Heel " + f.Municipality
	}
	return strings.Join(f.Areas, ", ") + " (" + f.Municipality + ")"
}

func themeText(ts []string) string {
	if len(ts) == 0 {
		return "Alle thema's"
	}
	out := make([]string, len(ts))
	for k, t := range ts {
		out[k] = theme.Label(t)
	}
	return strings.Join(out, ", ")
}

func maxText(f Fund) string {
	if f.MaxPerRequestCents == 0 {
		return "Geen maximum, behalve wat er over is"
	}
	return money.Format(f.MaxPerRequestCents)
}

func supportersText(n int) string {
	switch n {
	case 0:
		return "Geen minimum aantal meedoeners"
	case 1:
		return "Minstens 1 meedoener"
	}
	return "Minstens " + itoa(n) + " meedoeners"
}

func ownText(pct int) string {
	if pct == 0 {
		return "Geen eigen bijdrage nodig"
	}
	return "Eigen bijdrage minstens " + itoa(pct) + "% van de begroting"
}

func accountText(f Fund) string {
	s := "Een korte verantwoording binnen " + itoa(f.AccountDueDays) + " dagen na de uitbetaling"
	if f.ReceiptsRequired {
		return s + ", met bonnetjes"
	}
	return s + ", zonder bonnetjes"
}

func yesNo(b bool, yes, no string) string {
	if b {
		return yes
	}
	return no
}

func joinOr(xs []string, none string) string {
	if len(xs) == 0 {
		return none
	}
	return strings.Join(xs, ", ")
}

var fundLabels = []ui.Label{{Field: "naam", Text: "Naam"}, {Field: "beschrijving", Text: "Beschrijving"}, {Field: "gemeente", Text: "Gemeente"},
	{Field: "gebied", Text: "Wijken of buurten"}, {Field: "periode", Text: "Periode"}, {Field: "opent", Text: "Open vanaf"},
	{Field: "sluit", Text: "Open tot en met"}, {Field: "budget", Text: "Budget"}, {Field: "max", Text: "Hoogstens per aanvraag"},
	{Field: "thema", Text: "Thema's"}, {Field: "meedoeners", Text: "Minimaal aantal meedoeners"}, {Field: "eigen_pct", Text: "Eigen bijdrage"},
	{Field: "besluitvorm", Text: "Wie beslist"}, {Field: "advies_dagen", Text: "Dagen voor advies"}, {Field: "verantwoording_dagen", Text: "Verantwoording"}}

func modeOptions() []ui.Option {
	out := []ui.Option{}
	for _, m := range []Mode{ByFunder, ByAdvice, ByJury} {
		out = append(out, ui.Option{Value: string(m), Label: ModeLabel(m)})
	}
	return out
}

func funderOptions(fs []Funder) []ui.Option {
	out := []ui.Option{}
	for _, f := range fs {
		if !f.Funder {
			out = append(out, ui.Option{Value: itoa(int(f.ID)), Label: f.Name})
		}
	}
	return out
}

func fundFormAction(id int64) string {
	if id == 0 {
		return "/fondsen/nieuw"
	}
	return fundURL(id) + "/bewerken"
}

func funderURL(id int64) string { return "/beheer/financiers/" + itoa(int(id)) }
