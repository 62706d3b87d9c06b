package overview

// Dutch text used in Go code (the pages keep theirs in views.templ).
const (
	msgWholePeriodsOnly = "Het overzicht toont alleen een hele maand, een heel kwartaal of een heel jaar, geen eigen begin- en einddatum. " +
		"Zo kan niemand door twee periodes van elkaar af te trekken een afgeschermd aantal personen terugrekenen. Kies een maand, een kwartaal of een jaar."
	msgBadYear         = "Kies een jaar van %d tot en met %d."
	msgBadPart         = "Kies het hele jaar, een kwartaal of een maand."
	msgAPIWholePeriods = "Geef from en to als één hele kalendermaand, één heel kwartaal of één heel jaar van %d tot en met %d, " +
		"bijvoorbeeld from=2025-04-01&to=2025-06-30. Andere periodes zouden van elkaar af te trekken zijn om afgeschermde aantallen terug te rekenen."
	msgAPIBadDates  = "Geef from en to als JJJJ-MM-DD, met to niet vóór from."
	msgAPIForbidden = "Je hebt geen toegang tot de cijfers van deze gemeente."
	msgAPINotFound  = "Deze gemeente bestaat niet."
)

// msgPopulationUnknown marks a neighbourhood without inhabitants on the
// per-1,000 map.
const msgPopulationUnknown = "inwonertal onbekend"

// populationSource attributes the inhabitants (CC BY 4.0).
const populationSource = "Bron inwoners: CBS, Kerncijfers wijken en buurten 2024 (StatLine 85984NED), CC BY 4.0."

const (
	msgCompareCount           = "Kies twee tot vijf buurten om te vergelijken."
	msgCompareOneMunicipality = "Vergelijk buurten uit één gemeente."
	// apiNote explains the JSON export's conventions (English: it is an API).
	apiNote = "Periods are one whole calendar month, quarter or year (Europe/Amsterdam). " +
		"Person counts (initiative_members, people_reached, activity_participants) are published as 0, " +
		"null when 1-4 (and then listed in suppressed), or rounded to the nearest multiple of 5. " +
		"District and municipality totals are computed from the true numbers and then rounded the same way, " +
		"so they can differ from the sum of their rows. people_reached adds up the people of every street contact: " +
		"someone met five times counts five times. median_hours_to_first_response covers the answered signals raised in the period; " +
		"signals_unanswered and oldest_unanswered_wait_hours tell how many are still waiting and for how long. " +
		"Active initiatives, members and open signals are current; the rest covers the period. " +
		"population adds up the known CBS inhabitants (1 January, rounded to 5; null when none is known): " +
		"population_known_neighbourhoods of the row's neighbourhoods have a figure."
)
