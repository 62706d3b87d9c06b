package privacy

// Dutch texts used from Go code.
const (
	msgExportAbout = "Alle gegevens die Buurtkracht over jou bewaart, op het moment van downloaden. " +
		"Wachtwoorden en tokens staan er niet in: daarvan bewaren we alleen een onomkeerbare controlewaarde. " +
		"Van andere mensen staan alleen de namen van mede-eigenaren van je initiatieven in dit bestand, " +
		"en de namen van wie jouw gegevens heeft ingezien (audit_about_you)."

	msgPasswordRequired = "Vul je wachtwoord in."
	msgPasswordWrong    = "Dit wachtwoord klopt niet."
	msgConfirmRequired  = "Vink aan dat je je account definitief wilt verwijderen."
	msgLastAdmin        = "Je bent de enige beheerder. Maak eerst iemand anders beheerder; daarna kun je je account verwijderen."
	msgDeleted          = "Je account is verwijderd. Bedankt voor wat je voor de buurt hebt gedaan."
)
