// Package neighbourhood holds the CBS geography (municipalities, districts,
// neighbourhoods and their boundaries): the strict CBS import, the public
// pages to find a neighbourhood and the neighbourhood page other features add
// their sections to.
package neighbourhood

import (
	"context"

	"github.com/a-h/templ"

	"github.com/buurtkracht/buurtkracht/internal/fault"
	"github.com/buurtkracht/buurtkracht/internal/httpx"
)

// ErrNotFound is returned when no neighbourhood or municipality has the code.
var ErrNotFound = fault.Wrap(fault.ErrNotFound, "neighbourhood: not found")

// Section is a part of the neighbourhood page contributed by another feature
// (initiatives, assets, signals). It renders a <section> with an h2 and runs a
// fixed, small number of queries.
type Section interface {
	NeighbourhoodSection(ctx context.Context, neighbourhoodID int64, v *httpx.Viewer) (templ.Component, error)
}

// nested reports whether child's digits start with parent's digits
// (BU03440111 in WK034401, WK034401 in GM0344): CBS codes nest that way.
// Both codes must be valid (package cbs checks their shape).
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
	// Figures are the CBS key figures, nil when none were imported (then
	// Population may still come from the buurten file, or be unknown).
	Figures *Figures
}
