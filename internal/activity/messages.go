package activity

// Dutch texts used from Go code; page texts live in views.templ.
const (
	msgBadChars              = "Deze tekst bevat tekens die we niet kunnen opslaan."
	msgDateRequired          = "Vul de datum van de activiteit in."
	msgDateInvalid           = "Vul een datum in als jjjj-mm-dd, bijvoorbeeld 2026-03-14."
	msgDateRange             = "Kies een datum vanaf 2000 en hoogstens een jaar vooruit."
	msgNeighbourhoodRequired = "Kies de buurt waar de activiteit was."
	msgOutsideAreas          = "Je kunt alleen activiteiten vastleggen in je eigen werkgebieden. Kies een van je buurten."
	msgStrategyRequired      = "Kies de strategie die deze activiteit dient."
	msgStrategyUnknown       = "Kies verbinden, overbruggen of koppelen."
	msgParticipantsNumber    = "Vul het aantal deelnemers in als heel getal, bijvoorbeeld 12."
	msgParticipantsRange     = "Het aantal deelnemers ligt tussen 0 en 100.000."
	msgPartnerTooLong        = "Een partnernaam is hoogstens 150 tekens."
	msgTooManyPartners       = "Noem hoogstens 20 partnerorganisaties."
	msgInitiativeUnknown     = "Kies een initiatief uit de lijst."
	msgOrganiserRequired     = "Geef aan wie de activiteit organiseerde: jij, een initiatief of allebei."
	msgConfirmStory          = "Bevestig dat het verhaal niemand herkenbaar maakt."

	flashCreated        = "De activiteit is opgeslagen."
	flashUpdated        = "De wijzigingen zijn opgeslagen."
	flashStoryShared    = "Het verhaal is gedeeld met de gemeente."
	flashStoryWithdrawn = "Het verhaal is ingetrokken; de gemeente ziet het niet meer."
	flashNotYours       = "Je kunt alleen je eigen activiteiten in je eigen werkgebieden wijzigen."
)

// Labels of form fields, next to the field and naming it in the error
// summary.
const (
	lblTitle           = "Titel"
	lblDate            = "Datum"
	lblNeighbourhood   = "Buurt"
	lblStrategy        = "Strategie"
	lblParticipants    = "Aantal deelnemers"
	lblWorkerOrganised = "Wie organiseerde het?"
	lblInitiative      = "Bewonersinitiatief dat meeorganiseerde"
	lblPartners        = "Partnerorganisaties"
	lblOutcome         = "Resultaat"
	lblNote            = "Privénotitie"
	lblStory           = "Verhaal"
	lblConfirm         = "Controle"
)
