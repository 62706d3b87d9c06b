package account

import (
	"fmt"
	"time"
)

// Dutch texts used from Go code; page texts live in the .templ files.

// msgBadLogin is the one message for every failed login, so the page never
// tells whether an address has an account, nor whether it is confirmed.
const msgBadLogin = "Dit e-mailadres en wachtwoord horen niet bij elkaar, of je e-mailadres is nog niet bevestigd. " +
	"Controleer ze en probeer het opnieuw. Net een account gemaakt? Klik dan eerst op de link in de bevestigingsmail."

const (
	msgNameRequired         = "Vul je naam in."
	msgPasswordRequired     = "Vul een wachtwoord in."
	msgCurrentRequired      = "Vul je huidige wachtwoord in."
	msgCurrentWrong         = "Dit is niet je huidige wachtwoord."
	msgSamePassword         = "Kies een ander wachtwoord dan je huidige."
	msgNoNeighbourhood      = "Kies een buurt uit de lijst."
	msgResetSent            = "Als er een account bij dit e-mailadres hoort, hebben we een e-mail gestuurd met een link om een nieuw wachtwoord te kiezen. De link werkt 1 uur."
	msgResetDone            = "Je nieuwe wachtwoord is ingesteld. Log in met je nieuwe wachtwoord."
	msgPasswordChanged      = "Je wachtwoord is gewijzigd. Op andere apparaten ben je uitgelogd."
	msgConfirmedLoggedIn    = "Je e-mailadres is bevestigd en je bent ingelogd. Welkom bij Buurtkracht!"
	msgConfirmResent        = "We hebben een nieuwe bevestigingsmail gestuurd naar %s. Klik op de link daarin; hij werkt 48 uur. Kijk ook in je map met ongewenste e-mail."
	msgAlreadyConfirmed     = "Je e-mailadres is al bevestigd."
	msgBotRefused           = "We konden je aanmelding niet verwerken. Probeer het opnieuw."
	msgResetMailSubject     = "Nieuw wachtwoord voor Buurtkracht"
	msgProfileSaved         = "Je naam en buurt zijn bewaard."
	msgNewEmailRequired     = "Vul je nieuwe e-mailadres in."
	msgSameEmail            = "Dit is al je e-mailadres. Vul een ander adres in."
	msgEmailChangeSent      = "We hebben een e-mail met een bevestigingslink gestuurd naar %s. Klik binnen 24 uur op de link daarin; pas dan wordt dat je nieuwe e-mailadres. Tot die tijd blijft %s in gebruik, ook om in te loggen."
	msgEmailChangeCancelled = "Je wijziging van je e-mailadres is ingetrokken: de link werkt niet meer en %s blijft je e-mailadres."
	msgEmailChanged         = "Je e-mailadres is gewijzigd. Log voortaan in met je nieuwe e-mailadres."
	msgProfileUnchanged     = "Er was niets veranderd; je gegevens zijn hetzelfde gebleven."

	msgUnknownRole              = "Kies alleen rollen uit de lijst."
	msgOwnAdmin                 = "Je kunt je eigen beheerdersrol niet intrekken. Vraag een andere beheerder om dat te doen."
	msgPickFromList             = "Kies uit de lijst."
	msgOfficerNeedsMunicipality = "Kies de gemeente waarvoor deze medewerker werkt."
	msgWorkerNeedsArea          = "Kies minstens één buurt als werkgebied. Kies eerst een gemeente en klik op ‘Toon buurten’."
	msgPickKind                 = "Kies het soort organisatie."
	msgDuplicateOrganisation    = "Er is al een organisatie met deze naam."
)

// resetMailBody is the text of the password-reset e-mail.
func resetMailBody(name, link string) string {
	return fmt.Sprintf(`Hallo %s,

Iemand (hopelijk jij) heeft gevraagd om een nieuw wachtwoord voor je account bij Buurtkracht.
Kies een nieuw wachtwoord via deze link:

%s

De link werkt 1 uur en maar één keer. Heb je dit niet zelf gevraagd? Dan kun je deze e-mail negeren;
je wachtwoord blijft dan hetzelfde.

Groet,
Buurtkracht
`, name, link)
}

// msgTooMany tells a visitor they tried too often and when to try again.
// what names the action, e.g. "inlogpogingen".
func msgTooMany(what string, retry time.Duration) string {
	return fmt.Sprintf("Te veel %s in korte tijd. Probeer het over %s opnieuw.", what, dutchDuration(retry))
}

// MsgTooManyPasswords tells someone to wait before typing their password
// again on a form of another feature that counts wrong passwords with
// failed logins (a new API token, deleting the account).
func MsgTooManyPasswords(retry time.Duration) string {
	minutes := int((retry + time.Minute - 1) / time.Minute)
	if minutes <= 1 {
		return "Te veel pogingen met een verkeerd wachtwoord in korte tijd. Probeer het over een minuut opnieuw."
	}
	return fmt.Sprintf("Te veel pogingen met een verkeerd wachtwoord in korte tijd. Probeer het over %d minuten opnieuw.", minutes)
}

// dutchDuration says d in Dutch, rounded up to whole minutes above a minute.
func dutchDuration(d time.Duration) string {
	if d <= time.Minute {
		s := int((d + time.Second - 1) / time.Second)
		if s <= 1 {
			return "1 seconde"
		}
		return fmt.Sprintf("%d seconden", s)
	}
	m := int((d + time.Minute - 1) / time.Minute)
	if m >= 120 && m%60 == 0 {
		return fmt.Sprintf("%d uur", m/60)
	}
	return fmt.Sprintf("%d minuten", m)
}
