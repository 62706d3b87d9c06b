package sso

// Problem is a page that says, in plain Dutch, why a sign-on did not log
// the person in and what they can do.
type Problem struct {
	Title   string
	Message string
	// Retry offers to start again; otherwise only the password login.
	Retry bool
}

var problemExpired = Problem{Title: "Inloggen is niet gelukt",
	Message: "Deze inlogpoging is verlopen of al gebruikt. Begin opnieuw; duurt het inloggen bij je organisatie langer dan tien minuten, dan moet je ook opnieuw beginnen.",
	Retry:   true}

func problemUnavailable(name string) Problem {
	return Problem{Title: "De inlogdienst is niet bereikbaar",
		Message: "We konden de inlogdienst van " + name + " nu niet bereiken, of die is hier niet goed ingesteld. Probeer het over een paar minuten opnieuw. Lukt het dan nog niet, laat het de beheerder van Buurtkracht weten.",
		Retry:   true}
}

func problemDeclined(name string) Problem {
	return Problem{Title: "Inloggen is afgebroken",
		Message: "De inlogdienst van " + name + " heeft het inloggen afgebroken of geweigerd. Probeer het opnieuw, of vraag je eigen ICT-afdeling of je Buurtkracht mag gebruiken.",
		Retry:   true}
}

func problemInvalid(name string) Problem {
	return Problem{Title: "Inloggen is niet gelukt",
		Message: "Het antwoord van de inlogdienst van " + name + " kon niet worden gecontroleerd, dus we hebben je niet ingelogd. Begin opnieuw. Gebeurt dit vaker, laat het de beheerder van Buurtkracht weten.",
		Retry:   true}
}

func problemNoEmail(name string) Problem {
	return Problem{Title: "Je e-mailadres is niet bevestigd",
		Message: "De inlogdienst van " + name + " gaf geen bevestigd e-mailadres door. Zonder dat kunnen we je niet aan je account koppelen. Vraag je eigen ICT-afdeling om dit na te kijken."}
}

func problemDomain(name string) Problem {
	return Problem{Title: "Dit e-mailadres hoort niet bij deze inlogdienst",
		Message: "Je bent ingelogd bij " + name + " met een e-mailadres waarvoor deze inlogdienst hier niet is ingesteld. Log in met het e-mailadres van je werk, of met je wachtwoord."}
}

func problemNoAccount(name string) Problem {
	return Problem{Title: "Er is nog geen account voor je",
		Message: "Je bent ingelogd bij " + name + ", maar op Buurtkracht is nog geen account met dit e-mailadres. Een beheerder van Buurtkracht maakt het account voor je aan en geeft je de rol die bij je werk hoort. Vraag het aan je leidinggevende of de beheerder."}
}
