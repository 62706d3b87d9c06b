package fund

import (
	"fmt"

	"github.com/buurtkracht/buurtkracht/internal/money"
)

// The Dutch text of advice, payouts, accounts and the dashboard.
const (
	adviceMsgGiven        = "Bedankt, je advies is genoteerd."
	adviceMsgTwice        = "Je hebt al advies gegeven over deze aanvraag. Iedereen geeft één keer advies; je eerdere advies blijft staan."
	adviceMsgChoose       = "Kies of je de aanvraag steunt of niet."
	adviceMsgNotAllowed   = "Je kunt over deze aanvraag geen advies geven."
	payoutMsgRecorded     = "De uitbetaling is vastgelegd."
	payoutMsgAmount       = "Vul een bedrag in euro's in, bijvoorbeeld 500 of 1.250,50."
	payoutMsgRequired     = "Vul het bedrag in."
	payoutMsgZero         = "Het bedrag moet meer dan € 0 zijn."
	payoutMsgDate         = "Vul de datum van de uitbetaling in als dag-maand-jaar."
	payoutMsgFuture       = "De datum ligt in de toekomst. Leg een uitbetaling vast als die gedaan is."
	payoutMsgNoteLong     = "Maak de notitie korter: hoogstens 300 tekens."
	payoutMsgNotGranted   = "Op deze aanvraag kan niets worden uitbetaald: ze is niet toegekend."
	accountMsgGiven       = "Bedankt voor je verantwoording. De financier kan hem nu lezen."
	accountMsgTwice       = "Deze aanvraag is al verantwoord. Je eerdere verantwoording blijft staan."
	accountMsgNotGranted  = "Je kunt een aanvraag pas verantwoorden als ze is toegekend."
	accountMsgRequired    = "Vul dit in, een paar zinnen is genoeg."
	accountMsgLong        = "Maak dit korter: hoogstens 2000 tekens."
	accountReceiptsLine   = "Dit fonds vraagt om bonnetjes of facturen. Bewaar ze en stuur ze op als de financier erom vraagt; uploaden hoeft hier niet."
	accountNoReceiptsLine = "Bonnetjes hoeven niet: een paar regels over waar het geld aan op ging is genoeg."
)

// Labels of the form fields, for the error summary.
const (
	adviceLblChoice   = "Je advies"
	adviceLblComment  = "Toelichting (mag leeg blijven)"
	payoutLblAmount   = "Bedrag"
	payoutLblDate     = "Datum van uitbetaling"
	payoutLblNote     = "Notitie (mag leeg blijven)"
	accountLblWhat    = "Wat is er gebeurd?"
	accountLblWho     = "Wie deden er mee?"
	accountLblBrought = "Wat heeft het de buurt opgeleverd?"
	accountLblSpent   = "Waar ging het geld aan op?"
)

// payoutMsgTooMuch answers a payout above what is still open.
func payoutMsgTooMuch(remaining, granted int64) string {
	if remaining <= 0 {
		return fmt.Sprintf("Er is al %s uitbetaald: het hele toegekende bedrag. Er kan niets meer bij.", money.Format(granted))
	}
	return fmt.Sprintf("Dat is meer dan er nog openstaat: nog %s van de toegekende %s.", money.Format(remaining), money.Format(granted))
}

// payoutNote tells the owners that money was paid.
func payoutNote(title string, amount int64) string {
	return fmt.Sprintf("Er is %s uitbetaald voor %s. Vertel na afloop kort hoe het ging.", money.Format(amount), title)
}

// accountGivenNote tells the funder's staff that an account is in.
func accountGivenNote(title string) string {
	return fmt.Sprintf("De verantwoording van %s is binnen.", title)
}

// accountReminderNote reminds the owners of an overdue account.
func accountReminderNote(title string) string {
	return fmt.Sprintf("Hoe ging het met %s? De korte verantwoording voor het buurtgeld is nog niet gegeven: drie vragen en waar het geld aan op ging.", title)
}

// adviceStandingText explains why the viewer cannot advise.
func adviceStandingText(s AdviceStanding) string {
	switch s {
	case AdviceAnonymous:
		return "Log in om advies te geven. Bewoners van het gebied van het fonds met een bevestigd e-mailadres kunnen één keer advies geven."
	case AdviceGiven:
		return "Je hebt advies gegeven over deze aanvraag. Bedankt!"
	case AdviceClosed:
		return "Advies geven kan niet meer: de adviesperiode is voorbij of er is al besloten."
	case AdviceOwn:
		return "Dit is een aanvraag van een initiatief waarvan je eigenaar bent, of die je zelf indiende. Daarover geef je geen advies."
	case AdviceStaff:
		return "Je beslist over aanvragen van dit fonds, dus je geeft er geen advies over."
	case AdviceUnconfirmed:
		return "Bevestig eerst je e-mailadres (zie je account); daarna kun je advies geven."
	case AdviceOutOfScope:
		return "Alleen bewoners van het gebied van dit fonds geven advies. Staat je eigen buurt goed in je profiel?"
	}
	return ""
}

// dashboardGroupTitle names a breakdown.
func dashboardGroupTitle(kind string) string {
	switch kind {
	case "buurt":
		return "Per buurt"
	case "thema":
		return "Per thema"
	}
	return "Per strategie"
}

// dashboardColumn heads a breakdown's first column.
func dashboardColumn(kind string) string {
	switch kind {
	case "buurt":
		return "Buurt"
	case "thema":
		return "Thema"
	}
	return "Strategie"
}

// payoutLine describes a payout after its date.
func payoutLine(p Payout) string {
	s := money.Format(p.AmountCents)
	if p.Note != "" {
		s += " (" + p.Note + ")"
	}
	return s + ", vastgelegd door " + p.RecordedBy
}
