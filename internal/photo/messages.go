package photo

import (
	"errors"
	"strconv"
)

// Dutch texts of the photo pages.
const (
	msgFileMissing = "Kies een foto (JPEG, PNG of WebP)."
	msgTooLarge    = "Deze foto is groter dan 10 MB. Verklein de foto of kies een andere."
	msgNotImage    = "Dit bestand is geen JPEG-, PNG- of WebP-foto. Kies een foto."
	msgCorrupt     = "Deze foto is beschadigd of niet helemaal geüpload. Kies de foto opnieuw of kies een andere."
	msgTooBig      = "Deze foto heeft te veel pixels (meer dan 40 megapixel). Verklein de foto en probeer het opnieuw."
	msgAltMissing  = "Beschrijf wat er op de foto te zien is, voor wie de foto niet kan zien."
	msgChooseAgain = "Kies de foto opnieuw: een browser bewaart een gekozen bestand niet na een fout."
	flashAdded     = "De foto is toegevoegd."
	flashRemoved   = "De foto is verwijderd."
	flashDuplicate = "Deze foto was al toegevoegd."
)

// msgFull says a subject has its maximum number of photos.
var msgFull = "Er staan al " + strconv.Itoa(MaxPhotos) + " foto's bij. Verwijder eerst een foto om een andere toe te voegen."

// uploadMessage is the Dutch message of a refused upload.
func uploadMessage(err error) string {
	switch {
	case errors.Is(err, ErrEmptyFile):
		return msgFileMissing
	case errors.Is(err, ErrTooLarge):
		return msgTooLarge
	case errors.Is(err, ErrNotImage):
		return msgNotImage
	case errors.Is(err, ErrTooBig):
		return msgTooBig
	}
	return msgCorrupt
}
