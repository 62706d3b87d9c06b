package help

import "github.com/buurtkracht/buurtkracht/web/dutch"

// Dutch texts of help between neighbours, together.
const (
	msgSomeone              = "Een buurtbewoner"
	msgKindMissing          = "Kies of je hulp vraagt of aanbiedt."
	msgCategoryMissing      = "Kies waar het om gaat."
	msgCategoryUnknown      = "Kies een van de soorten hulp uit de lijst."
	msgBodyMissing          = "Schrijf kort wat je vraagt of aanbiedt."
	msgNeighbourhoodMissing = "Kies de buurt."
	msgNeighbourhoodUnknown = "Kies je eigen buurt of een buurt ernaast uit de lijst."
	msgFromMissing          = "Vul de eerste dag in."
	msgUntilMissing         = "Vul de laatste dag in."
	msgDateInvalid          = "Vul een datum in als 2026-12-24."
	msgFromPast             = "De eerste dag ligt in het verleden; kies vandaag of later."
	msgUntilPast            = "De laatste dag ligt in het verleden."
	msgUntilBeforeFrom      = "De laatste dag ligt vóór de eerste dag."
	msgUntilTooFar          = "Kies een laatste dag binnen drie maanden."
	msgContactDetails       = "Zet er geen telefoonnummer of e-mailadres in: buren in de hele wijk lezen dit. Wie reageert, stuurt je een bericht."
	msgRespondMissing       = "Schrijf een kort bericht."
	msgTooMany              = "Je hebt het afgelopen uur veel berichten gestuurd. Probeer het over een uur opnieuw."

	flashCreatedAsk   = "Je hulpvraag staat online. Buren in de buurt zien hem met alleen je voornaam."
	flashCreatedOffer = "Je aanbod staat online. Buren in de buurt zien het met alleen je voornaam."
	flashHelped       = "Fijn dat het gelukt is! Je vraag staat niet meer in de lijsten."
	flashWithdrawn    = "Ingetrokken. Het staat niet meer in de lijsten."
	flashResponded    = "Je bericht is verstuurd. Jullie praten verder in dit gesprek."
	flashClosed       = "Dit kan niet meer: het is al afgerond, ingetrokken of verlopen."
)

// KindLabel is the Dutch name of a kind.
func KindLabel(k Kind) string {
	if k == Offer {
		return "Aanbod"
	}
	return "Hulpvraag"
}

// CategoryLabel is the Dutch name of a category.
func CategoryLabel(c Category) string {
	switch c {
	case Shopping:
		return "Boodschappen"
	case Chore:
		return "Klusje"
	case Transport:
		return "Vervoer"
	case Company:
		return "Gezelschap"
	case Language:
		return "Taal"
	case Computer:
		return "Computer en telefoon"
	case Other:
		return "Iets anders"
	}
	return string(c)
}

// StatusLabel is the Dutch name of a status.
func StatusLabel(s Status) string {
	switch s {
	case Open:
		return "Open"
	case Helped:
		return "Geholpen"
	case Withdrawn:
		return "Ingetrokken"
	case Expired:
		return "Verlopen"
	}
	return string(s)
}

// respondLabel is the answer button: helping with a request, taking up an offer.
func respondLabel(k Kind) string {
	if k == Offer {
		return "Ik wil dit graag"
	}
	return "Ik kan helpen"
}

// noteResponded is the author's notification of an answer.
func noteResponded(first string, k Kind, c Category) string {
	if k == Offer {
		return first + " wil graag gebruikmaken van je aanbod (" + CategoryLabel(c) + ")."
	}
	return first + " wil je helpen met je vraag (" + CategoryLabel(c) + ")."
}

// periodText is the period in words: "14 maart 2026 tot en met 28 maart 2026".
func periodText(r Request) string {
	if r.StartsOn.Equal(r.EndsOn) {
		return "op " + dutch.Date(r.StartsOn)
	}
	return dutch.Date(r.StartsOn) + " tot en met " + dutch.Date(r.EndsOn)
}
