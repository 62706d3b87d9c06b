// Package neighbourhood holds the CBS geography (municipalities, districts,
// neighbourhoods and their boundaries): the strict CBS import, the public
// pages to find a neighbourhood and the neighbourhood page other features add
// their sections to.
package neighbourhood

import (
	"context"
	"errors"
	"regexp"

	"github.com/a-h/templ"

	"github.com/buurtkracht/buurtkracht/internal/httpx"
)

// ErrNotFound is returned when no neighbourhood or municipality has the code.
var ErrNotFound = errors.New("neighbourhood: not found")

// Section is a part of the neighbourhood page contributed by another feature
// (initiatives, assets, signals). It renders a <section> with an h2 and runs a
// fixed, small number of queries.
type Section interface {
	NeighbourhoodSection(ctx context.Context, neighbourhoodID int64, v *httpx.Viewer) (templ.Component, error)
}

// CBS code formats: GM + 4 digits, WK + 6 digits, BU + 8 digits. The digits
// nest: a district's digits start with its municipality's, a
// neighbourhood's with its district's.
var (
	municipalityCode  = regexp.MustCompile(`^GM[0-9]{4}$`)
	districtCode      = regexp.MustCompile(`^WK[0-9]{6}$`)
	neighbourhoodCode = regexp.MustCompile(`^BU[0-9]{8}$`)
)

// ValidMunicipalityCode reports whether s looks like GM0344.
func ValidMunicipalityCode(s string) bool { return municipalityCode.MatchString(s) }

// ValidDistrictCode reports whether s looks like WK034401.
func ValidDistrictCode(s string) bool { return districtCode.MatchString(s) }

// ValidNeighbourhoodCode reports whether s looks like BU03440111.
func ValidNeighbourhoodCode(s string) bool { return neighbourhoodCode.MatchString(s) }

// nested reports whether child's digits start with parent's digits
// (BU03440111 in WK034401, WK034401 in GM0344). Both codes must be valid.
func nested(child, parent string) bool {
	return len(child) > len(parent) && child[2:2+len(parent)-2] == parent[2:]
}

// Municipality is a gemeente.
type Municipality struct {
	ID                 int64
	Code               string
	Name               string
	NeighbourhoodCount int
}

// District is a wijk.
type District struct {
	ID   int64
	Code string
	Name string
}

// Neighbourhood is a buurt with its district and municipality.
type Neighbourhood struct {
	ID               int64
	Code             string
	Name             string
	DistrictID       int64
	DistrictCode     string
	DistrictName     string
	MunicipalityID   int64
	MunicipalityCode string
	MunicipalityName string
	Population       *int
	AreaKm2          *float64
	HasBoundary      bool
}
