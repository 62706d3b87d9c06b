package neighbourhood

import (
	"embed"
	"io/fs"
)

// cbsData holds the CBS 2025 files shipped in the binary (see cbsdata/README.md):
// all municipalities, and the districts, neighbourhoods and boundaries of
// Utrecht, Leiden and Tytsjerksteradiel (and Zwolle's districts), and the
// CBS key figures (1 January 2024) of 194 of those neighbourhoods.
//
//go:embed cbsdata/*.csv cbsdata/*.geojson
var cbsData embed.FS

// Names of the embedded files.
const (
	embeddedMunicipalities = "cbsdata/gemeenten_2025.csv"
	embeddedDistricts      = "cbsdata/wijken_2025_sample.csv"
	embeddedNeighbourhoods = "cbsdata/buurten_2025_sample.csv"
	embeddedBoundaries     = "cbsdata/buurten_2025_sample.geojson"
	embeddedKerncijfers    = "cbsdata/kerncijfers_2024_sample.csv"
)

// EmbeddedFiles returns the CBS files shipped in the binary, ready for Import.
func EmbeddedFiles() Files {
	open := func(name string) Source {
		f, err := cbsData.Open(name)
		if err != nil {
			// The names are fixed at build time; a missing file is a build defect.
			panic(err)
		}
		return Source{Name: "ingebouwd:" + name[len("cbsdata/"):], Reader: f}
	}
	return Files{
		Municipalities: open(embeddedMunicipalities),
		Districts:      open(embeddedDistricts),
		Neighbourhoods: open(embeddedNeighbourhoods),
		Boundaries:     open(embeddedBoundaries),
		Kerncijfers:    open(embeddedKerncijfers),
	}
}

// EmbeddedFS exposes the embedded CBS files (for tests and tools).
func EmbeddedFS() fs.FS { return cbsData }
