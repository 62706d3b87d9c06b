package mfa

import (
	"fmt"
	"time"
)

// Dutch texts of the feature.
const (
	msgCodeRequired        = "Vul de code uit je app of een herstelcode in."
	msgCodeWrong           = "Deze code klopt niet. Kijk of de tijd op je telefoon goed staat en vul de code in die je app nu toont."
	msgCodeReused          = "Deze code is al gebruikt. Wacht tot je app een nieuwe code toont."
	msgRecoveryWrong       = "Deze herstelcode klopt niet of is al gebruikt. Elke herstelcode werkt maar één keer."
	msgPasswordRequired    = "Vul je wachtwoord in."
	msgPasswordWrong       = "Dit wachtwoord klopt niet."
	msgSetupExpired        = "Het instellen duurde te lang of is in een ander venster afgerond. Begin hier opnieuw."
	msgSessionGone         = "Die sessie bestaat niet meer."
	flashEnabled           = "Tweestapsverificatie staat aan. Bewaar je herstelcodes nu."
	flashNewCodes          = "Je hebt nieuwe herstelcodes. De oude werken niet meer."
	flashDisabled          = "Tweestapsverificatie staat uit."
	flashSessionEnded      = "De sessie is beëindigd. Dat apparaat is nu uitgelogd."
	msgPasskeyNameRequired = "Geef je passkey een naam, bijvoorbeeld het apparaat waarop hij staat."
	msgPasskeyNameLong     = "Gebruik voor de naam hoogstens 60 tekens."
	msgPasskeyNeedsJS      = "Een passkey toevoegen lukt alleen met JavaScript aan. Zet JavaScript aan, of gebruik een authenticator-app."
	msgPasskeyAddFailed    = "Het toevoegen van de passkey is niet gelukt of duurde te lang. Probeer het opnieuw."
	msgPasskeyLast         = "Dit is je laatste tweede stap en die is voor jouw rol verplicht. Voeg eerst een andere passkey of een authenticator-app toe."
	msgPasskeyLoginFailed  = "Inloggen met deze passkey is niet gelukt. Probeer het opnieuw, of log in met je wachtwoord."
	flashPasskeyAdded      = "Je passkey is toegevoegd."
	flashPasskeyRemoved    = "De passkey is verwijderd."
)

func msgTooManyCodes(retry time.Duration) string {
	minutes := int((retry + time.Minute - 1) / time.Minute)
	if minutes <= 1 {
		return "Te veel verkeerde codes in korte tijd. Probeer het over een minuut opnieuw."
	}
	return fmt.Sprintf("Te veel verkeerde codes in korte tijd. Probeer het over %d minuten opnieuw.", minutes)
}

func flashOthersEnded(n int64) string {
	switch n {
	case 0:
		return "Er waren geen andere sessies."
	case 1:
		return "1 andere sessie is beëindigd."
	}
	return fmt.Sprintf("%d andere sessies zijn beëindigd.", n)
}

func msgTooManyPasskeyFailures(retry time.Duration) string {
	minutes := int((retry + time.Minute - 1) / time.Minute)
	if minutes <= 1 {
		return "Te veel mislukte pogingen in korte tijd. Probeer het over een minuut opnieuw."
	}
	return fmt.Sprintf("Te veel mislukte pogingen in korte tijd. Probeer het over %d minuten opnieuw.", minutes)
}
