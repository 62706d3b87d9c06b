package initiative

// Dutch text used from Go code. Page text lives in views.templ.

var statusLabels = map[Status]string{
	Idea:     "Idee",
	Building: "In opbouw",
	Active:   "Actief",
	Paused:   "Gepauzeerd",
	Stopped:  "Gestopt",
}

var statusHints = map[Status]string{
	Idea:     "Jullie hebben een plan, maar zijn nog niet begonnen.",
	Building: "Jullie zijn bezig met opzetten: mensen zoeken, plek regelen.",
	Active:   "Het initiatief draait.",
	Paused:   "Jullie zijn tijdelijk gestopt en willen later verder.",
	Stopped:  "Het initiatief is afgelopen.",
}

var formLabels = map[Form]string{
	FormInformal:         "Informele groep",
	FormAssociation:      "Vereniging",
	FormFoundation:       "Stichting",
	FormCooperative:      "Coöperatie",
	FormResidentsCompany: "Bewonersbedrijf",
	FormBreadFund:        "Broodfonds",
	FormOther:            "Anders",
}

var needLabels = map[NeedCode]string{
	NeedSpace:      "Ruimte",
	NeedMoney:      "Geld",
	NeedVolunteers: "Vrijwilligers",
	NeedKnowledge:  "Kennis",
	NeedMaterials:  "Materiaal",
}

var needHints = map[NeedCode]string{
	NeedSpace:      "Bijvoorbeeld: een zaal voor twee avonden per maand.",
	NeedMoney:      "Bijvoorbeeld: € 500 voor zaden en gereedschap.",
	NeedVolunteers: "Bijvoorbeeld: drie mensen die op zaterdag willen helpen.",
	NeedKnowledge:  "Bijvoorbeeld: iemand die verstand heeft van subsidies.",
	NeedMaterials:  "Bijvoorbeeld: tafels, een aanhanger of een laptop.",
}

var contactLabels = map[ContactPreference]string{
	ContactPlatform: "Via Buurtkracht (berichten op deze pagina)",
	ContactEmail:    "Per e-mail",
	ContactPhone:    "Per telefoon",
}

var visibilityLabels = map[Visibility]string{
	Public:  "Openbaar: iedereen kan het initiatief zien",
	Members: "Alleen voor mensen die zijn ingelogd op Buurtkracht",
}

var fundingLabels = map[FundingStatus]string{
	Submitted: "Ingediend, wacht op besluit",
	Granted:   "Toegekend",
	Rejected:  "Afgewezen",
}

// decisionLabels name the choices of the decision form.

// label is the Dutch name of code, or the code itself when it has none
// (an old value the lists no longer hold).
func label[T ~string](m map[T]string, code T) string {
	if l, ok := m[code]; ok {
		return l
	}
	return string(code)
}

// StatusLabel is the Dutch name of a status.
func StatusLabel(s Status) string { return label(statusLabels, s) }

// FormLabel is the Dutch name of an organisational form.
func FormLabel(f Form) string { return label(formLabels, f) }

// NeedLabel is the Dutch name of a need.
func NeedLabel(n NeedCode) string { return label(needLabels, n) }

// ContactLabel is the Dutch name of a contact preference.
func ContactLabel(p ContactPreference) string { return label(contactLabels, p) }

// VisibilityLabel is the Dutch explanation of a visibility.
func VisibilityLabel(v Visibility) string { return label(visibilityLabels, v) }

// FundingLabel is the Dutch name of a funding request's status.
func FundingLabel(s FundingStatus) string { return label(fundingLabels, s) }

// Messages shown after a redirect or next to a field.
const (
	msgCreated        = "Je initiatief staat op Buurtkracht. Je bent eigenaar."
	msgAlreadyCreated = "Dit initiatief had je net al aangemeld; het is niet nog een keer opgeslagen. Hier staat het."
	msgSaved          = "De wijzigingen zijn opgeslagen."
	msgConflict       = "Iemand anders heeft dit initiatief intussen gewijzigd. Hieronder staat jouw invoer; bekijk de nieuwe versie in een ander tabblad en sla daarna opnieuw op."
	msgStatus         = "De status is gewijzigd."
	msgUpdatePosted   = "Je bericht is geplaatst."
	msgJoined         = "Je doet mee. De eigenaren zien dat je je hebt aangemeld."
	msgLeft           = "Je doet niet meer mee."
	msgOffered        = "Je aanbod is naar de eigenaren gestuurd. Dank je wel!"
	msgReported       = "Dank je. Een beheerder bekijkt je melding."
	msgHidden         = "Het initiatief is verborgen."
	msgShown          = "Het initiatief is weer zichtbaar."
	msgStopped        = "Het initiatief staat nu op gestopt."
	msgFundingSent    = "Je aanvraag is ingediend bij de gemeente."
	msgDecided        = "Het besluit is opgeslagen en zichtbaar voor de eigenaren."
	msgAlreadyDecided = "Over deze aanvraag is al besloten."
	msgChoose         = "Maak een keuze."
	msgChooseOne      = "Kies een van de mogelijkheden."
	msgBadAmount      = "Vul een bedrag in euro's in, bijvoorbeeld 1250 of 1.250,50."
	msgAmountZero     = "Het bedrag moet meer dan € 0 zijn."
	msgAmountTooHigh  = "Een buurtbudget gaat tot € 100.000. Vraag een groter bedrag aan via de gemeente zelf."
	msgNoPlaces       = "Kies minstens één buurt."
	msgTooManyPlaces  = "Kies hoogstens 5 buurten."
	msgUnknownPlace   = "Deze buurt kennen we niet in deze gemeente."
	msgUnknownTheme   = "Kies alleen thema's uit de lijst."
	msgNoTheme        = "Kies minstens één thema."
	msgNeedOffer      = "Kies waarmee je kunt helpen."
	msgRequired       = "Vul dit veld in."
)

// Messages of co-ownership, contact details and conflicts of interest.
const (
	// The same answer whether or not the address has an account: the page
	// must not tell who is on Buurtkracht.
	msgInvited            = "Als er een account bij dit adres hoort, krijgt die persoon een uitnodiging. Pas als die de uitnodiging aanneemt, wordt die mede-eigenaar."
	msgTooManyInvitations = "Er staan al 20 uitnodigingen open. Trek er eerst een in, of wacht tot er een is beantwoord of verlopen."
	msgWithdrawn          = "De uitnodiging is ingetrokken."
	msgNoInvitation       = "Deze uitnodiging staat niet (meer) open. Misschien is ze ingetrokken, al beantwoord of verlopen."
	msgAccepted           = "Je bent nu mede-eigenaar van dit initiatief."
	msgDeclined           = "Je hebt de uitnodiging geweigerd."
	msgSteppedDown        = "Je bent geen eigenaar meer van dit initiatief."
	msgOwnerRemoved       = "De eigenaar is verwijderd. Die persoon krijgt daarvan bericht."
	msgLastOwner          = "Een initiatief heeft altijd minstens één eigenaar. Nodig eerst iemand anders uit als mede-eigenaar."
	msgNotOwner           = "Deze persoon is al geen eigenaar meer."
	msgContactNotShown    = "De contactgegevens zie je niet: alleen eigenaren en deelnemers die bewoner zijn zien ze, nooit de gemeente. Ze blijven zoals ze zijn."
	msgContactHidden      = "Bij e-mail of telefoon horen contactgegevens, en die kun jij niet invullen. Kies Via Buurtkracht, of vraag een mede-eigenaar."
	// An officer never decides on a request of an initiative they own or submitted (DOMAIN.md).
)

// Labels of form fields, shown next to the field and naming it in the
// error summary.
const (
	lblTitle          = "Naam van het initiatief"
	lblSummary        = "In één zin"
	lblDescription    = "Beschrijving"
	lblPlaces         = "Buurt of buurten"
	lblThemes         = "Thema's"
	lblForm           = "Vorm"
	lblStatus         = "Hoe ver zijn jullie?"
	lblNeeds          = "Wat hebben jullie nodig?"
	lblContact        = "Hoe willen jullie benaderd worden?"
	lblContactInfo    = "E-mailadres of telefoonnummer"
	lblVisibility     = "Wie mag het initiatief zien?"
	lblOfferNeed      = "Waarmee kun je helpen?"
	lblOfferMessage   = "Bericht aan de eigenaren"
	lblUpdate         = "Nieuw bericht"
	lblNewStatus      = "Nieuwe status"
	lblNote           = "Toelichting"
	lblOwnerEmail     = "E-mailadres van de nieuwe mede-eigenaar"
	lblHideReason     = "Reden om te verbergen"
	lblReport         = "Wat is er mis?"
	lblAmount         = "Bedrag in euro"
	lblPurpose        = "Waarvoor is het geld?"
	lblBudget         = "Korte begroting"
	lblDecision       = "Besluit"
	lblDecisionReason = "Motivering"
)

// needDetailLabel is the label of the field that explains need c.
func needDetailLabel(c NeedCode) string { return "Wat voor " + lower(NeedLabel(c)) + "?" }
