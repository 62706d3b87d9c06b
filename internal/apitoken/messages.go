package apitoken

// Dutch texts used from Go code; page texts live in views.templ.
const (
	flashCreated        = "Je API-token is gemaakt. Kopieer hem nu: je ziet hem maar één keer."
	flashRevoked        = "De API-token is ingetrokken en werkt niet meer."
	msgNoToken          = "Stuur een persoonlijke API-token mee: Authorization: Bearer <token>."
	msgBadToken         = "Deze API-token is onbekend, verlopen of ingetrokken."
	msgPickLifetime     = "Kies hoe lang de token werkt."
	msgPasswordRequired = "Vul je wachtwoord in."
	msgPasswordWrong    = "Dit wachtwoord klopt niet."
)

// Labels of form fields, next to the field and naming it in the error
// summary.
const (
	lblName     = "Naam van de nieuwe token"
	lblDays     = "Hoe lang werkt de token?"
	lblPassword = "Je wachtwoord"
)
