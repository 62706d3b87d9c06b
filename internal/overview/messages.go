package overview

// Dutch text used in Go code (the pages keep theirs in views.templ).
const (
	msgBadPeriodKind = "Kies een periode: de laatste 3 maanden, de laatste 12 maanden of een eigen periode."
	msgBadDates      = "Vul bij een eigen periode een begin- en eindmaand in als jjjj-mm, bijvoorbeeld 2025-01."
	msgToBeforeFrom  = "De eindmaand ligt vóór de beginmaand."
	msgPeriodTooLong = "Een periode mag hoogstens 120 maanden lang zijn."
	msgAPIBadDates   = "Geef from en to als JJJJ-MM-DD, met to niet vóór from."
	msgAPIForbidden  = "Je hebt geen toegang tot de cijfers van deze gemeente."
	msgAPINotFound   = "Deze gemeente bestaat niet."
)

const (
	msgCompareCount           = "Kies twee tot vijf buurten om te vergelijken."
	msgCompareOneMunicipality = "Vergelijk buurten uit één gemeente."
	// apiNote explains the JSON export's conventions (English: it is an API).
	apiNote = "Whole calendar months (Europe/Amsterdam). Person counts (initiative_members, people_reached, activity_participants) of 1-4 are null and listed in suppressed; totals add up the shown values only. Active initiatives, members and open signals are current; the rest covers the period."
)
