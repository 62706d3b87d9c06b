package message

import (
	"strconv"
	"time"
)

// Dutch text used from Go code, kept together so a translation has one
// place to go. Page text lives in views.templ.
const (
	// msgNotification: who wrote, about what. Never the message itself.
	msgNotification       = "%s stuurde je een bericht over ‘%s’."
	msgReportNotification = "Er is een bericht gemeld. Bekijk het bij de gemelde berichten."
	msgSomeone            = "Iemand"
	msgFormerMember       = "(verwijderd account)"

	msgBlocked       = "Je kunt dit bericht niet versturen: de ontvanger wil geen berichten meer van je ontvangen."
	msgLinkTooEarly  = "Je account is nog geen dag oud. Tot die tijd kun je geen links (zoals http://, https:// of www.) in een bericht zetten. Haal de link weg of probeer het morgen opnieuw."
	msgNoRecipient   = "Er is niemand meer om dit bericht aan te sturen: de andere deelnemer heeft zijn of haar account verwijderd."
	msgNotSent       = "Je bericht is niet verstuurd."
	msgReasonMissing = "Schrijf kort op wat er mis is met dit bericht."
	msgNobody        = "Er is niemand om dit bericht aan te sturen: wie hierachter zat, heeft zijn of haar account verwijderd."

	flashSent      = "Je bericht is verstuurd."
	flashBlocked   = "%s is geblokkeerd. Je krijgt geen berichten meer van deze persoon."
	flashUnblocked = "%s is niet meer geblokkeerd."
	flashReported  = "Dank je wel. Een beheerder bekijkt het gemelde bericht."
)

// kindLabels name what a conversation is about, before its title.
var kindLabels = map[SubjectKind]string{
	AboutInitiative: "Initiatief",
	AboutOffer:      "Aanbod van hulp bij",
	AboutAsset:      "Hulpbron",
	AboutWorker:     "Opbouwwerk",
	AboutHelp:       "Burenhulp",
}

// selfProblem says why one cannot write about one's own subject.
func selfProblem(k SubjectKind) string {
	switch k {
	case AboutInitiative:
		return "Je bent zelf eigenaar van dit initiatief, dus je kunt het geen bericht sturen. Wat anderen jullie over het initiatief sturen, vind je bij Berichten."
	case AboutWorker:
		return "Je bent zelf opbouwwerker in deze buurt. Je kunt jezelf geen bericht sturen."
	case AboutAsset:
		return "Dit is je eigen hulpbron. Je kunt jezelf geen bericht sturen. Wat anderen je erover sturen, vind je bij Berichten."
	case AboutHelp:
		return "Dit is je eigen hulpvraag of aanbod. Wat buren je erover sturen, vind je bij Berichten."
	}
	return "Je kunt jezelf geen bericht sturen: er is verder niemand bij dit aanbod betrokken."
}

// Label is the Dutch name of k.
func (k SubjectKind) Label() string { return kindLabels[k] }

// msgTooMany says when the sender may send again.
func msgTooMany(retry time.Duration) string {
	minutes := int((retry + time.Minute - 1) / time.Minute)
	when := "over " + strconv.Itoa(minutes) + " minuten"
	if minutes <= 1 {
		when = "over een minuut"
	}
	return "Je hebt het afgelopen uur veel berichten verstuurd (hoogstens " + strconv.Itoa(PerHour) +
		" per uur). Je kunt " + when + " weer een bericht sturen. Je tekst staat nog hieronder."
}

// senderName is how a message's sender is named: "Jij" for the viewer.
func senderName(m Message, viewer int64) string {
	switch m.SenderID {
	case 0:
		return msgFormerMember
	case viewer:
		return "Jij"
	}
	return m.SenderName
}

// nameOrFormer is a display name, or the text for a deleted account.
func nameOrFormer(name string) string {
	if name == "" {
		return msgFormerMember
	}
	return name
}
