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

var kindLabels = map[Kind]string{
	Place:    "Ontmoetingsplek",
	Network:  "Netwerk of vereniging",
	Business: "Ondernemer",
	Talent:   "Talent",
}

var groupLabels = map[Kind]string{
	Place:    "Ontmoetingsplekken",
	Network:  "Netwerken en verenigingen",
	Business: "Ondernemers",
	Talent:   "Talenten van bewoners",
}

var kindHints = map[Kind]string{
	Place:    "Een plek waar mensen elkaar ontmoeten: buurthuis, bibliotheek, café, school, park, sportveld, gebedshuis.",
	Network:  "Een club, vereniging, bewonersgroep of ander netwerk in de buurt.",
	Business: "Een winkel, bedrijf of zzp'er uit de buurt die iets wil bijdragen.",
	Talent:   "Iets wat jij kunt en waarmee je anderen wilt helpen. Alleen ingelogde gebruikers zien het, met alleen je voornaam.",
}

var placeTypeLabels = map[PlaceType]string{
	CommunityCentre: "Buurthuis",
	Library:         "Bibliotheek",
	Cafe:            "Café",
	School:          "School",
	Park:            "Park",
	SportsField:     "Sportveld",
	PlaceOfWorship:  "Gebedshuis",
	OtherPlace:      "Andere plek",
}

var needLabels = map[Need]string{
	NeedSpace:      "ruimte",
	NeedMoney:      "geld",
	NeedVolunteers: "vrijwilligers",
	NeedKnowledge:  "kennis",
	NeedMaterials:  "materiaal",
}

var needHints = map[Need]string{
	NeedSpace:      "Een ruimte om samen te komen, te werken of iets op te slaan.",
	NeedMoney:      "Een bijdrage, sponsoring of hulp bij het vinden van geld.",
	NeedVolunteers: "Handen: mensen die meedoen of een klus oppakken.",
	NeedKnowledge:  "Advies, ervaring of een vaardigheid.",
	NeedMaterials:  "Spullen of gereedschap om te lenen of te geven.",
}

// label is the Dutch name of code, or the code itself when it has none.
func label[T ~string](m map[T]string, code T) string {
	if l, ok := m[code]; ok {
		return l
	}
	return string(code)
}

// KindLabel is the Dutch name of one asset of a kind.
func KindLabel(k Kind) string { return label(kindLabels, k) }

// GroupLabel is the Dutch heading of a group of assets of a kind.
func GroupLabel(k Kind) string { return label(groupLabels, k) }

// KindHint explains a kind on the page where the user chooses one.
func KindHint(k Kind) string { return kindHints[k] }

// PlaceTypeLabel is the Dutch name of a meeting place's subtype.
func PlaceTypeLabel(t PlaceType) string { return label(placeTypeLabels, t) }

// NeedLabel is the Dutch name of a need.
func NeedLabel(n Need) string { return label(needLabels, n) }

// NeedHint explains what helping with a need means.
func NeedHint(n Need) string { return needHints[n] }

// VisibilityLabel is the Dutch name of a visibility.
func VisibilityLabel(v Visibility) string {
	if v == Members {
		return "Alleen voor ingelogde gebruikers"
	}
	return "Voor iedereen"
}

// nearbyLabel says where a helper in the "wie kan helpen" section is:
// "in deze buurt", or "in Lombok-Oost".
func nearbyLabel(a Asset, here Neighbourhood) string {
	if a.NeighbourhoodID == here.ID {
		return "in deze buurt"
	}
	return "in " + a.NeighbourhoodName
}

// nameLabel is the label of the name field: a talent is "what I can do".
func nameLabel(k Kind) string {
	if k == Talent {
		return "Ik kan…"
	}
	return "Naam"
}

// descriptionLabel is the label of the description field.
func descriptionLabel(k Kind) string {
	if k == Talent {
		return "Toelichting"
	}
	return "Beschrijving"
}
