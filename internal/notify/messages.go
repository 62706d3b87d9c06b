package notify

import "fmt"

// Dutch text of notifications, e-mails and their pages, kept together so a
// translation has one place to go.

var categoryLabels = map[Category]string{
	Messages:    "Berichten",
	Offers:      "Aanbod van hulp",
	SignUps:     "Aanmeldingen",
	Decisions:   "Besluiten",
	Signals:     "Signalen",
	Initiatives: "Initiatieven",
	Agenda:      "Agenda",
	Admin:       "Beheer",
}

var categoryHints = map[Category]string{
	Messages:    "Iemand stuurt je een bericht.",
	Offers:      "Iemand biedt hulp aan bij jouw initiatief.",
	SignUps:     "Iemand doet mee met jouw initiatief, of je wordt mede-eigenaar.",
	Decisions:   "Een besluit over een aanvraag, of over het verbergen van een initiatief.",
	Signals:     "Nieuws over signalen die je hebt gemeld of volgt, of nieuwe signalen in je werkgebied.",
	Initiatives: "Nieuws van initiatieven waar je aan meedoet, of nieuwe initiatieven in je werkgebied.",
	Agenda:      "Bijeenkomsten waarvoor je je hebt aangemeld.",
	Admin:       "Berichten voor beheerders.",
}

// Label is the Dutch name of c.
func (c Category) Label() string { return categoryLabels[c] }

// Hint says in one sentence what c is about.
func (c Category) Hint() string { return categoryHints[c] }

var modeLabels = map[Mode]string{
	Direct:   "Meteen een e-mail",
	Daily:    "Eén e-mail per dag",
	Weekly:   "Eén e-mail per week",
	Platform: "Geen e-mail, alleen hier",
}

// Label is the Dutch name of m.
func (m Mode) Label() string { return modeLabels[m] }

var mailSubjects = map[Category]string{
	Messages:    "Je hebt een nieuw bericht",
	Offers:      "Iemand biedt hulp aan",
	SignUps:     "Nieuwe aanmelding",
	Decisions:   "Er is een besluit genomen",
	Signals:     "Nieuws over een signaal",
	Initiatives: "Nieuws over een initiatief",
	Agenda:      "Nieuws uit de buurtagenda",
	Admin:       "Bericht voor beheerders",
}

const (
	msgDailySubject   = "Je dagoverzicht van Buurtkracht"
	msgWeeklySubject  = "Je weekoverzicht van Buurtkracht"
	msgGreeting       = "Hallo %s,"
	msgOpen           = "Bekijk het op Buurtkracht"
	msgDigestIntro    = "Dit is er gebeurd sinds je vorige overzicht (%d):"
	msgWhyDirect      = "Je krijgt deze e-mail omdat je bij Buurtkracht voor ‘%s’ hebt gekozen: %s."
	msgWhyDigest      = "Je krijgt deze e-mail omdat je bij Buurtkracht voor deze onderwerpen hebt gekozen: %s."
	msgChange         = "Instellingen wijzigen"
	msgUnsubscribe    = "Afmelden voor e-mail over ‘%s’"
	msgUnsubscribeAll = "Afmelden voor deze overzichten"
	msgSignature      = "Buurtkracht – samen bouwen aan de buurt"

	msgConfirmSubject = "Bevestig je e-mailadres voor Buurtkracht"
	msgConfirmIntro   = "Welkom bij Buurtkracht! Bevestig je e-mailadres via deze link:"
	msgConfirmButton  = "E-mailadres bevestigen"
	msgConfirmValid   = "De link werkt 48 uur. Is hij verlopen? Log in en vraag op de pagina ‘Mijn account’ een nieuwe link aan."
	msgConfirmWhy     = "Zolang je e-mailadres niet bevestigd is, kun je rondkijken en meedoen, maar nog niets plaatsen en geen berichten sturen, en krijg je geen e-mail over meldingen."
	msgConfirmNotYou  = "Heb je geen account aangemaakt bij Buurtkracht? Dan kun je deze e-mail negeren; er gebeurt dan niets."

	msgRegisterNoticeSubject = "Iemand wilde een account maken met jouw e-mailadres"

	flashAllRead       = "Alle meldingen zijn gelezen."
	flashPrefsSaved    = "Je keuzes voor e-mail zijn bewaard."
	errModeInvalid     = "Kies een van de mogelijkheden."
	errCategoryUnknown = "Deze soort melding bestaat niet."
)

// registerNoticeBody is the mail to the owner of an address someone tried
// to register with. It says what did not happen, so nobody worries
// needlessly, and how to get in if it was them.
func registerNoticeBody(name, loginLink, resetLink string) string {
	return fmt.Sprintf(`Hallo %s,

Iemand (misschien jij) wilde net een nieuw account maken op Buurtkracht met dit e-mailadres.
Je hebt al een account, dus er is geen tweede gemaakt. Je account en wachtwoord zijn niet veranderd.

Wilde je inloggen? Dat kan hier:
%s

Weet je je wachtwoord niet meer? Kies dan een nieuw wachtwoord via:
%s

Was jij dit niet? Dan hoef je niets te doen.

Groet,
Buurtkracht
`, name, loginLink, resetLink)
}
