package asset

// Dutch text used from Go code. Page text lives in views.templ.
const (
	msgKindUnknown          = "Kies wat voor hulpbron je toevoegt."
	msgPlaceTypeUnknown     = "Kies wat voor plek het is."
	msgTalentEmpty          = "Vul in wat je kunt."
	msgNeighbourhoodMissing = "Kies een buurt uit de lijst."
	msgNeedUnknown          = "Kies alleen uit de genoemde mogelijkheden."
	msgNeedsMissing         = "Kies minstens één ding waarmee dit kan helpen."
	msgWebsiteInvalid       = "Vul een geldig webadres in, bijvoorbeeld www.buurthuis.nl."
	msgPhoneInvalid         = "Vul een geldig telefoonnummer in, bijvoorbeeld 030 123 45 67."
	msgVisibilityUnknown    = "Kies wie dit mag zien."
	msgAResident            = "Een bewoner"
	msgReasonMissing        = "Schrijf kort op waarom je dit verbergt."

	flashCreated = "Dank je wel! Je hulpbron staat nu op de kaart van de buurt."
	flashTalent  = "Dank je wel! Je talent is toegevoegd. Alleen ingelogde gebruikers zien het, met alleen je voornaam."
	flashSaved   = "De wijzigingen zijn opgeslagen."
	flashDeleted = "De hulpbron is verwijderd."
	flashHidden  = "De hulpbron is verborgen. De eigenaar ziet de reden bij zijn of haar hulpbronnen."
	flashShown   = "De hulpbron is weer zichtbaar."
)

// KindLabel is the Dutch name of one asset of a kind.
func KindLabel(k Kind) string {
	switch k {
	case Place:
		return "Ontmoetingsplek"
	case Network:
		return "Netwerk of vereniging"
	case Business:
		return "Ondernemer"
	case Talent:
		return "Talent"
	}
	return k
}

// GroupLabel is the Dutch heading of a group of assets of a kind.
func GroupLabel(k Kind) string {
	switch k {
	case Place:
		return "Ontmoetingsplekken"
	case Network:
		return "Netwerken en verenigingen"
	case Business:
		return "Ondernemers"
	case Talent:
		return "Talenten van bewoners"
	}
	return k
}

// KindHint explains a kind on the page where the user chooses one.
func KindHint(k Kind) string {
	switch k {
	case Place:
		return "Een plek waar mensen elkaar ontmoeten: buurthuis, bibliotheek, café, school, park, sportveld, gebedshuis."
	case Network:
		return "Een club, vereniging, bewonersgroep of ander netwerk in de buurt."
	case Business:
		return "Een winkel, bedrijf of zzp'er uit de buurt die iets wil bijdragen."
	case Talent:
		return "Iets wat jij kunt en waarmee je anderen wilt helpen. Alleen ingelogde gebruikers zien het, met alleen je voornaam."
	}
	return ""
}

// PlaceTypeLabel is the Dutch name of a meeting place's subtype.
func PlaceTypeLabel(t string) string {
	switch t {
	case "buurthuis":
		return "Buurthuis"
	case "bibliotheek":
		return "Bibliotheek"
	case "cafe":
		return "Café"
	case "school":
		return "School"
	case "park":
		return "Park"
	case "sportveld":
		return "Sportveld"
	case "gebedshuis":
		return "Gebedshuis"
	case "anders":
		return "Andere plek"
	}
	return t
}

// NeedLabel is the Dutch name of a need.
func NeedLabel(n string) string {
	switch n {
	case "ruimte":
		return "ruimte"
	case "geld":
		return "geld"
	case "vrijwilligers":
		return "vrijwilligers"
	case "kennis":
		return "kennis"
	case "materiaal":
		return "materiaal"
	}
	return n
}

// NeedHint explains what helping with a need means.
func NeedHint(n string) string {
	switch n {
	case "ruimte":
		return "Een ruimte om samen te komen, te werken of iets op te slaan."
	case "geld":
		return "Een bijdrage, sponsoring of hulp bij het vinden van geld."
	case "vrijwilligers":
		return "Handen: mensen die meedoen of een klus oppakken."
	case "kennis":
		return "Advies, ervaring of een vaardigheid."
	case "materiaal":
		return "Spullen of gereedschap om te lenen of te geven."
	}
	return ""
}

// VisibilityLabel is the Dutch name of a visibility.
func VisibilityLabel(v string) string {
	if v == Members {
		return "Alleen voor ingelogde gebruikers"
	}
	return "Voor iedereen"
}
