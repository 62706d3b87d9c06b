package apitoken

import (
	"fmt"
	"time"
)

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

// msgTooMany tells the person to wait before trying their password again.
func msgTooMany(retry time.Duration) string {
	minutes := int((retry + time.Minute - 1) / time.Minute)
	if minutes <= 1 {
		return "Te veel pogingen met een verkeerd wachtwoord in korte tijd. Probeer het over een minuut opnieuw."
	}
	return fmt.Sprintf("Te veel pogingen met een verkeerd wachtwoord in korte tijd. Probeer het over %d minuten opnieuw.", minutes)
}
