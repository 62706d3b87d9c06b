package event

import (
	"github.com/buurtkracht/buurtkracht/web/ui"

	"strconv"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/notify"
	"github.com/buurtkracht/buurtkracht/web/dutch"
)

// Dutch texts used from Go code; page texts live in views.templ.
const (
	msgRequiredGeneric        = "Vul dit veld in."
	msgTitleRequired          = "Geef de bijeenkomst een titel."
	msgThemeRequired          = "Kies een thema."
	msgThemeUnknown           = "Kies een thema uit de lijst."
	msgStartRequired          = "Vul in wanneer de bijeenkomst begint."
	msgEndRequired            = "Vul in wanneer de bijeenkomst eindigt."
	msgTimeInvalid            = "Vul een datum en tijd in, bijvoorbeeld 2026-12-14T19:30."
	msgStartPast              = "Het begin ligt in het verleden. Kies een moment in de toekomst."
	msgStartFar               = "Het begin ligt meer dan drie jaar vooruit. Kies een eerder moment."
	msgEndBeforeStart         = "Het einde ligt vóór het begin. Kies een einde na het begin."
	msgTooLong                = "Een bijeenkomst duurt hoogstens twee weken."
	msgVisibilityRequired     = "Kies wie de bijeenkomst kan zien."
	msgVisibilityUnknown      = "Kies openbaar of alleen voor leden."
	msgCapacityNumber         = "Vul het aantal plaatsen in als heel getal, of laat het veld leeg."
	msgCapacityPositive       = "Het aantal plaatsen is minstens 1. Laat het veld leeg als er geen grens is."
	msgCapacityTooLarge       = "Vul hoogstens 10.000 plaatsen in, of laat het veld leeg."
	msgInitiativeRequired     = "Kies het initiatief waarvoor je de bijeenkomst plaatst."
	msgInitiativeUnknown      = "Kies een initiatief uit de lijst."
	msgNeighbourhoodRequired  = "Kies minstens één buurt."
	msgNeighbourhoodElsewhere = "Kies buurten uit de lijst: je werkgebied, of de buurten van je initiatief."
	msgPlaceRequired          = "Kies een plek uit de lijst of beschrijf waar het is."
	msgPlaceUnknown           = "Kies een plek uit de lijst."
	msgCancelRequired         = "Schrijf een bericht aan wie zich heeft aangemeld: waarom gaat het niet door?"
	msgCancelTooLong          = "Gebruik hoogstens 1000 tekens."

	flashCreated    = "De bijeenkomst staat in de agenda."
	flashUpdated    = "De bijeenkomst is bijgewerkt."
	flashSignedUp   = "Je bent aangemeld. Je krijgt een dag van tevoren een herinnering."
	flashWaiting    = "De bijeenkomst is vol. Je staat op de wachtlijst en krijgt bericht als er een plaats vrijkomt."
	flashCancelled  = "Je bent afgemeld."
	flashAlready    = "Je was al aangemeld."
	flashNotSigned  = "Je was niet aangemeld."
	flashCancelled2 = "De bijeenkomst is geannuleerd. Iedereen die zich had aangemeld krijgt bericht."
	flashClosed     = "Aanmelden kan niet meer: de bijeenkomst is al begonnen."
	flashGone       = "Deze bijeenkomst is geannuleerd; aanmelden kan niet meer."
)

// when writes an event's time span in Dutch: "14 maart 2026, 19:30–21:00".
func when(start, end time.Time) string {
	s, e := start.In(dutch.Amsterdam), end.In(dutch.Amsterdam)
	if s.Year() == e.Year() && s.YearDay() == e.YearDay() {
		return dutch.DateTime(s) + "–" + e.Format("15:04")
	}
	return dutch.DateTime(s) + " tot " + dutch.DateTime(e)
}

func places(n int) string {
	if n == 1 {
		return "1 plaats"
	}
	return strconv.Itoa(n) + " plaatsen"
}

func people(n int) string {
	if n == 1 {
		return "1 persoon"
	}
	return strconv.Itoa(n) + " mensen"
}

// Notification texts: nothing the recipient could not read on the page.
func noteSignedUp(title, name string, waiting bool) string {
	if waiting {
		return name + " staat op de wachtlijst van " + notify.Quote(notify.Excerpt(title, 80)) + "."
	}
	return name + " heeft zich aangemeld voor " + notify.Quote(notify.Excerpt(title, 80)) + "."
}

func notePromoted(title string) string {
	return "Er is een plaats vrijgekomen: je bent nu aangemeld voor " + notify.Quote(notify.Excerpt(title, 80)) + "."
}

func noteCancelled(title, message string) string {
	return notify.Quote(notify.Excerpt(title, 80)) + " gaat niet door. Bericht van de organisatie: " + message
}

func noteChanged(title string, start time.Time) string {
	return notify.Quote(notify.Excerpt(title, 80)) + " is gewijzigd. Het begint nu " + dutch.DateTime(start) + "; kijk voor de plaats op de pagina."
}

func noteReminder(title string, start time.Time) string {
	return "Herinnering: " + notify.Quote(notify.Excerpt(title, 80)) + " begint " + dutch.DateTime(start) + "."
}

const msgDateInvalid = "Vul een datum in als jjjj-mm-dd."

// capacityBelowMessage says why the capacity cannot drop below the places taken.
func capacityBelowMessage(taken int) string {
	return "Er hebben zich al " + people(taken) + " aangemeld. Kies minstens " + strconv.Itoa(taken) + " plaatsen, of laat het veld leeg."
}

// formLabels are the form's fields in their order with their labels, for
// the error summary (each entry names its field and links to it).
var formLabels = []ui.Label{
	{Field: fTitle, Text: "Titel"}, {Field: fDescription, Text: "Beschrijving"}, {Field: fTheme, Text: "Thema"},
	{Field: fStart, Text: "Begin"}, {Field: fEnd, Text: "Einde"}, {Field: fInitiative, Text: "Initiatief"},
	{Field: fNeighbourhoods, Text: "Buurten"}, {Field: fAsset, Text: "Plek uit de kaart van de buurt"},
	{Field: fPlaceText, Text: "Plaats"}, {Field: fVisibility, Text: "Wie ziet de bijeenkomst?"}, {Field: fCapacity, Text: "Aantal plaatsen"},
}
