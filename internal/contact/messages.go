package contact

import (
	"strconv"
	"time"

	"github.com/buurtkracht/buurtkracht/web/dutch"
)

// Dutch texts used from Go code: validation messages, labels and flashes.
// The page texts live in views.templ.

const (
	msgBadChars              = "Deze tekst bevat tekens die we niet kunnen opslaan."
	msgClientID              = "Dit formulier is verlopen. Laad de pagina opnieuw en probeer het nog eens."
	msgNeighbourhoodRequired = "Kies de buurt waar het contact was."
	msgOutsideArea           = "Deze buurt hoort niet bij jouw werkgebied. Je kunt alleen contacten vastleggen in buurten waar je werkt; vraag je beheerder om de buurt toe te voegen."
	msgPlaceRequired         = "Kies waar het contact was."
	msgPlaceUnknown          = "Kies een plek uit de lijst."
	msgStrategyRequired      = "Kies wat dit contact deed: verbinden, overbruggen of koppelen."
	msgStrategyUnknown       = "Kies verbinden, overbruggen of koppelen."
	msgMomentFormat          = "Vul datum en tijd in, bijvoorbeeld 23-11-2026 14:30."
	msgMomentFuture          = "Dit moment ligt in de toekomst. Vul het moment van het contact in."
	msgMomentPast            = "Dit moment ligt meer dan twee jaar terug. Vul een recenter moment in."
	msgPeopleNumber          = "Vul een heel getal in."
	msgPeopleRange           = "Vul een aantal mensen in van 1 tot en met 500."
	msgThemeUnknown          = "Kies alleen thema's uit de lijst."
	msgFollowUpUnknown       = "Kies een vervolg uit de lijst."
	msgInitiativeUnknown     = "Kies een initiatief uit de lijst."
	msgStoryConfirm          = "Bevestig dat je alles hebt weggehaald waaraan iemand te herkennen is."
	msgJSONInvalid           = "Dit is geen geldige JSON voor een contact."
	msgDateFormat            = "Gebruik een datum als 2026-11-23."
	msgDateOrder             = "De einddatum ligt voor de begindatum."

	flashSaved         = "Contact opgeslagen."
	flashSavedSignal   = "Contact opgeslagen. Maak het signaal hieronder af en meld het."
	flashUpdated       = "Contact bijgewerkt."
	flashDeleted       = "Contact verwijderd."
	flashUndone        = "Het contact is ongedaan gemaakt."
	flashUndoExpired   = "Ongedaan maken kan alleen in de eerste tien minuten. Verwijder het contact via Mijn contacten."
	flashStoryShared   = "Het verhaal is gedeeld met de gemeente."
	flashStoryWithdraw = "Het verhaal is ingetrokken. De gemeente ziet het niet meer."
)

// PlaceLabel is the Dutch label of a place type.
func PlaceLabel(p PlaceType) string {
	switch p {
	case PlaceStreet:
		return "Straat"
	case PlaceSchoolyard:
		return "Schoolplein"
	case PlaceCommunityHall:
		return "Buurthuis"
	case PlaceShopMarket:
		return "Winkel of markt"
	case PlacePlayground:
		return "Speelplek"
	case PlaceHomeVisit:
		return "Huisbezoek"
	case PlacePopUp:
		return "Pop-up (terras, kraam)"
	case PlaceBus:
		return "Buurtbus"
	case PlaceOnline:
		return "Online"
	case PlaceElsewhere:
		return "Ergens anders"
	}
	return string(p)
}

// FollowUpLabel is the Dutch label of a follow-up.
func FollowUpLabel(f FollowUp) string {
	switch f {
	case FollowUpNone:
		return "Geen"
	case FollowUpSignal:
		return "Signaal afgeven"
	case FollowUpInitiative:
		return "Koppelen aan een initiatief"
	case FollowUpReferral:
		return "Doorverwezen"
	}
	return string(f)
}

// Monday-first Dutch weekday names and abbreviations for the calendar header.
var weekdayLong, weekdayShort = dutch.WeekdaysFromMonday()

func dayLabel(d CalendarDay, month time.Time) string {
	return strconv.Itoa(d.Day) + " " + dutch.Month(month.Month())
}

func countLabel(n int) string { return strconv.Itoa(n) + " " + countUnit(n) }

// countUnit is the noun after a number of contacts.
func countUnit(n int) string {
	if n == 1 {
		return "contact"
	}
	return "contacten"
}

// Labels of the contact form's fields, next to the field and in the
// error summary.
const (
	lblNeighbourhood = "Buurt"
	lblPlaceType     = "Plek"
	lblStrategy      = "Wat deed dit contact?"
	lblOccurredAt    = "Moment"
	lblPeopleCount   = "Aantal mensen"
	lblThemes        = "Thema's"
	lblEnergy        = "Wat willen bewoners doen?"
	lblConcern       = "Waar maken bewoners zich zorgen over?"
	lblNote          = "Privénotitie"
	lblFollowUp      = "Vervolg"
	lblInitiative    = "Initiatief"
	lblReferral      = "Doorverwezen naar"
	lblClientID      = "Formulier"
)
