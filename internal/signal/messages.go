package signal

import (
	"slices"
	"strconv"
	"strings"
)

// Dutch texts used from Go code; page texts live in views.templ.
const (
	msgNeighbourhoodRequired = "Kies de buurt waar het speelt."
	msgNeighbourhoodUnknown  = "Deze buurt kennen we niet. Kies een buurt uit de lijst."
	msgMunicipalityRequired  = "Kies de gemeente waar het speelt."
	msgMunicipalityUnknown   = "Deze gemeente kennen we niet. Kies een gemeente uit de lijst."
	msgThemeRequired         = "Kies een thema."
	msgThemeUnknown          = "Kies een thema uit de lijst."
	msgAddresseeRequired     = "Kies aan wie het signaal gericht is."
	msgAddresseeUnknown      = "Kies de gemeente, de woningcorporatie of iemand anders."
	msgOtherRequired         = "Vul in aan wie het signaal gericht is."
	msgEmptyResponse         = "Schrijf een reactie of kies een nieuwe status."
	msgStatusChanged         = "De status is intussen door iemand anders gewijzigd. Bekijk de nieuwe status en kies opnieuw."

	msgEmptyReply   = "Schrijf je antwoord."
	msgOwnRecognise = "Je hebt dit signaal zelf gemeld. Herkennen is voor anderen."
	msgOwnFollow    = "Je hebt dit signaal zelf gemeld: je krijgt al een melding bij elke reactie."

	flashRaised        = "Je signaal is opgeslagen. Je ziet hier alle reacties zodra ze er zijn."
	flashAlreadyRaised = "Dit signaal had je net al gemeld; het is niet nog een keer opgeslagen. Hier staat het."
	flashResponded     = "Je reactie is opgeslagen."
	flashReplied       = "Je antwoord staat in de tijdlijn."
	flashRecognised    = "Je hebt laten weten dat je dit herkent."
	flashUnrecognise   = "Je herkent dit signaal niet meer."
	flashFollowing     = "Je volgt dit signaal. Je krijgt een melding bij elke reactie en statuswijziging."
	flashUnfollowed    = "Je volgt dit signaal niet meer."
)

// recognisedBy says how many people recognise a signal: "door 3 mensen".
func recognisedBy(n int) string {
	switch n {
	case 0:
		return "nog door niemand"
	case 1:
		return "door 1 persoon"
	}
	return "door " + strconv.Itoa(n) + " mensen"
}

// neighbourhoodElsewhereMessage says that the chosen neighbourhood lies
// outside the municipality the form is for.
func neighbourhoodElsewhereMessage(municipality string) string {
	return "Deze buurt ligt niet in de gemeente " + municipality + ". Kies een buurt uit de lijst of kies eerst een andere gemeente."
}

// transitionMessage explains in Dutch why author a cannot move a signal from
// from to to, and what it can do instead.
func transitionMessage(a Author, from, to Status) string {
	if !slices.Contains(Statuses, to) {
		return "Kies een status uit de lijst."
	}
	if a == AuthorWorker {
		return "Als opbouwwerker kun je alleen een gesignaleerd signaal agenderen. De gemeente verandert de status verder."
	}
	next := NextStatuses(a, from)
	if len(next) == 0 {
		return "De status " + StatusLabel(from) + " is definitief; die kan niet meer veranderen."
	}
	labels := make([]string, len(next))
	for i, s := range next {
		labels[i] = StatusLabel(s)
	}
	return "Van " + StatusLabel(from) + " kan het signaal niet naar " + StatusLabel(to) + ". Kies: " + strings.Join(labels, ", ") + "."
}

// Labels of form fields, next to the field and naming it in the error
// summary.
const (
	lblMunicipality     = "In welke gemeente speelt het?"
	lblNeighbourhood    = "Buurt"
	lblTitle            = "Wat valt je op?"
	lblDescription      = "Toelichting"
	lblTheme            = "Thema"
	lblAddressedTo      = "Voor wie is dit signaal?"
	lblAddressedToOther = "Naam van de organisatie"
	lblPublic           = "Zichtbaarheid"
	lblReply            = "Je antwoord"
	lblBody             = "Reactie"
	lblStatus           = "Nieuwe status"
)
