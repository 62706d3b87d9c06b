// Package moderation is the administrators' one queue of everything people
// reported (initiatives, their updates, signals, assets and talents,
// messages), hiding and showing again with a reason the author hears, and
// account suspension. Reporting of the kinds that had no report form of
// their own (signals, updates, assets) lives here too. Like the overview,
// it is a cross-feature concern with its own SQL.
package moderation

import (
	"slices"

	"github.com/buurtkracht/buurtkracht/internal/fault"
)

// Kind is the kind of item a report is about.
type Kind string

// The kinds that can be reported.
const (
	Initiative Kind = "initiatief"
	Update     Kind = "initiatiefbericht" // a post on an initiative's page
	Signal     Kind = "signaal"
	Asset      Kind = "hulpbron"    // places, networks, businesses and talents
	Message    Kind = "bericht"     // a message in a conversation
	Help       Kind = "burenhulp"   // a help request or offer between neighbours
	Photo      Kind = "foto"        // a photo of an initiative, event or place (internal/photo)
	Event      Kind = "bijeenkomst" // an event in the neighbourhood agenda (internal/event)
)

// Kinds lists every kind, in the order the queue's legend shows them.
var Kinds = []Kind{Initiative, Update, Signal, Asset, Message, Help, Photo, Event}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return slices.Contains(Kinds, k) }

// Hideable reports whether an administrator can hide items of kind k here.
// Messages stay with their conversation; their reports are dismissed.
func (k Kind) Hideable() bool { return k != Message && k.Valid() }

// Label is the kind in Dutch, as the queue shows it.
func (k Kind) Label() string {
	switch k {
	case Initiative:
		return "Initiatief"
	case Update:
		return "Bericht bij een initiatief"
	case Signal:
		return "Signaal"
	case Asset:
		return "Hulpbron of talent"
	case Message:
		return "Bericht in een gesprek"
	case Help:
		return "Burenhulp"
	case Photo:
		return "Foto"
	case Event:
		return "Bijeenkomst"
	}
	return string(k)
}

// noun is the kind in a sentence to its author ("je signaal").
func (k Kind) noun() string {
	switch k {
	case Initiative:
		return "initiatief"
	case Update:
		return "bericht bij een initiatief"
	case Signal:
		return "signaal"
	case Asset:
		return "hulpbron of talent"
	case Help:
		return "hulpvraag of aanbod"
	case Photo:
		return "foto"
	case Event:
		return "bijeenkomst"
	}
	return "bericht"
}

// this is the kind with its demonstrative ("dit signaal", "deze foto").
func (k Kind) this() string {
	if k == Photo {
		return "deze " + k.noun()
	}
	return "dit " + k.noun()
}

// Limits of the forms.
const (
	MaxReport = 1000 // a report's reason (as the existing report tables)
	MaxReason = 300  // a hiding or suspension reason: it fits every feature's column
)

// The package's refusals, mapped to pages by httpx.
var (
	ErrNotFound     = fault.Wrap(fault.ErrNotFound, "moderation: not found")
	ErrSelf         = fault.Wrap(fault.ErrConflict, "moderation: own account")
	ErrLastAdmin    = fault.Wrap(fault.ErrConflict, "moderation: last administrator")
	ErrSuspended    = fault.Wrap(fault.ErrConflict, "moderation: already suspended")
	ErrNotSuspended = fault.Wrap(fault.ErrConflict, "moderation: not suspended")
)

// Dutch texts.
const (
	msgReportMissing   = "Schrijf kort wat er mis is."
	msgReasonMissing   = "Schrijf de reden op; de schrijver ziet die."
	msgSuspendMissing  = "Schrijf de reden van de schorsing op; de persoon krijgt die te zien."
	msgSelf            = "Je kunt je eigen account niet schorsen."
	msgLastAdmin       = "Dit is de laatste beheerder die niet geschorst is; die kun je niet schorsen."
	msgAlreadySusp     = "Dit account is al geschorst."
	flashReported      = "Dank je wel. Een beheerder bekijkt je melding."
	flashHidden        = "Verborgen. De schrijver krijgt de reden te zien."
	flashShown         = "Weer zichtbaar voor iedereen die het mag zien."
	flashDismissed     = "De melding is afgewezen; het blijft zichtbaar."
	flashSuspended     = "Het account is geschorst. De sessies en API-tokens zijn beëindigd."
	flashLifted        = "De schorsing is opgeheven."
	flashNotSuspended  = "Dit account is niet geschorst."
	flashTooManyReport = "Je hebt in korte tijd veel meldingen gedaan. Probeer het over een uur opnieuw."
)

func noteHidden(k Kind, title, reason string) string {
	return "Een beheerder heeft je " + k.noun() + " ‘" + title + "’ verborgen. Reden: " + reason
}

func noteShown(k Kind, title string) string {
	return "Je " + k.noun() + " ‘" + title + "’ is weer zichtbaar."
}

func noteSuspended(reason string) string {
	return "Je account is geschorst door een beheerder. Reden: " + reason +
		" Ben je het hier niet mee eens? Maak bezwaar via het e-mailadres in de privacyverklaring."
}

const noteLifted = "De schorsing van je account is opgeheven. Je kunt weer inloggen."
