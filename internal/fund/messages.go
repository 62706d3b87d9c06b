package fund

import (
	"github.com/buurtkracht/buurtkracht/internal/money"
	"github.com/buurtkracht/buurtkracht/internal/notify"
)

// All Dutch text of funds and applications.

var modeLabels = map[Mode]string{
	ByFunder: "De financier beslist",
	ByAdvice: "De financier beslist na advies van bewoners",
	ByJury:   "Een jury van bewoners beslist",
}

// ModeLabel is the Dutch name of a decision mode.
func ModeLabel(m Mode) string { return modeLabels[m] }

var statusLabels = map[Status]string{Submitted: "Ingediend", Granted: "Toegekend", Refused: "Afgewezen"}

// StatusLabel is the Dutch name of an application's status.
func StatusLabel(s Status) string { return statusLabels[s] }

var verdictLabels = map[Verdict]string{
	GrantFull:    "Toekennen: het hele bedrag",
	GrantPartial: "Deels toekennen, met voorwaarden",
	Refuse:       "Afwijzen",
}

// Field labels.
const (
	lblLineWhat   = "Waarvoor"
	lblLineAmount = "Bedrag"
	lblLines      = "Begroting"
	lblOwn        = "Eigen bijdrage"
	lblPurpose    = "Doel"
	lblImpact     = "Wat het de buurt brengt"
	lblActivityOn = "Datum van de activiteit"
	lblVerdict    = "Besluit"
	lblGranted    = "Toegekend bedrag"
	lblConditions = "Voorwaarden"
	lblReason     = "Motivering"
)

// Messages.
const (
	msgRequired        = "Vul dit veld in."
	msgBadAmount       = "Vul een bedrag in euro in, bijvoorbeeld 750 of 1.250,50."
	msgAmountZero      = "Vul een bedrag van meer dan € 0 in."
	msgLineTooHigh     = "Eén regel is hoogstens € 100.000."
	msgLineWhat        = "Schrijf erbij waarvoor dit bedrag is."
	msgLineAmount      = "Vul het bedrag van deze regel in."
	msgNoLines         = "Zet minstens één regel in de begroting: waarvoor en hoeveel."
	msgOwnTooHigh      = "De eigen bijdrage is meer dan of even veel als de hele begroting. Dan hoef je niets aan te vragen."
	msgBadDate         = "Vul een datum in als 2026-05-30."
	msgApplied         = "Je aanvraag is ingediend."
	msgClosed          = "Dit potje neemt vandaag geen aanvragen aan, of het past niet bij je initiatief."
	msgCofinancing     = "Je initiatief heeft al een aanvraag lopen bij een ander potje, en samen financieren mag niet bij dit potje of bij dat andere. Wacht op dat besluit."
	msgNotEnoughSupp   = "Dit potje vraagt minstens %d meedoeners; je initiatief heeft er %d."
	msgDecided         = "Het besluit is opgeslagen. De eigenaren van het initiatief krijgen bericht."
	msgAlreadyDecided  = "Over deze aanvraag is al besloten."
	msgOverspent       = "Dit past niet meer in het potje: een collega heeft intussen geld toegekend, en er is nu minder over dan dit bedrag. Kijk naar wat er over is en besluit opnieuw."
	msgConflict        = "Je bent eigenaar van dit initiatief of je hebt deze aanvraag zelf ingediend. Daarom beslist een collega erover, niet jij."
	msgPartialTooHigh  = "Bij deels toekennen is het bedrag minder dan wat gevraagd is. Kies anders ‘het hele bedrag’."
	msgConditionsNeed  = "Schrijf de voorwaarden op waaronder je deels toekent."
	msgGrantOverBudget = "Er is nog maar %s over in dit potje."
)

func msgOwnTooLow(pct int, min int64) string {
	return "Dit potje vraagt een eigen bijdrage van minstens " + itoa(pct) + "% van de begroting: " + money.Format(min) + "."
}

func msgAskTooHigh(max int64) string {
	return "Je vraagt meer dan dit potje kan geven: hoogstens " + money.Format(max) + " (de begroting min je eigen bijdrage)."
}

func msgDateOutside(f Fund) string {
	if f.ClosesOn == nil {
		return "Kies een datum vanaf " + dateNL(f.OpensOn) + ": eerder geeft dit potje geen geld."
	}
	return "Kies een datum tussen " + dateNL(f.OpensOn) + " en " + dateNL(*f.ClosesOn) + ": de periode van dit potje."
}

func noteApplied(title, fund string, cents int64) string {
	return "Nieuwe aanvraag van " + notify.Quote(title) + " bij " + notify.Quote(fund) + ": " + money.Format(cents) + "."
}

func noteDecided(title, fund string, s Status, cents int64) string {
	if s == Granted {
		return notify.Quote(fund) + " kent " + money.Format(cents) + " toe aan " + notify.Quote(title) + ". Lees het besluit op de pagina van het initiatief."
	}
	return notify.Quote(fund) + " heeft de aanvraag van " + notify.Quote(title) + " afgewezen. Lees waarom op de pagina van het initiatief."
}
