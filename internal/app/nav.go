package app

import (
	"github.com/buurtkracht/buurtkracht/internal/account"
	"github.com/buurtkracht/buurtkracht/internal/httpx"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/web/layout"
)

// navFor returns the main navigation for a viewer's roles. Only sections the
// viewer may open are listed.
func navFor(v *httpx.Viewer) []layout.NavItem {
	nav := []layout.NavItem{{Label: "Buurten", Href: "/buurten"}, {Label: "Initiatieven", Href: "/initiatieven"}, {Label: "Agenda", Href: "/agenda"}}
	if v == nil {
		return append(nav,
			layout.NavItem{Label: "Inloggen", Href: "/inloggen"},
			layout.NavItem{Label: "Registreren", Href: "/registreren"},
		)
	}
	if v.HomeNeighbourhood != "" {
		// The resident's own neighbourhood first: the hub of what happens around them.
		nav = append([]layout.NavItem{{Label: "Mijn buurt", Href: account.NeighbourhoodPath(v.HomeNeighbourhood)}}, nav...)
	}
	// Help between neighbours: what is asked and offered near one's home.
	nav = append(nav, layout.NavItem{Label: "Burenhulp", Href: "/burenhulp"})
	if v.Has(role.Worker) {
		nav = append(nav, layout.NavItem{Label: "Contacten", Href: "/contacten"})
		nav = append(nav, layout.NavItem{Label: "Activiteiten", Href: "/activiteiten"})
	}
	nav = append(nav, layout.NavItem{Label: "Signalen", Href: "/signalen"})
	if v.Has(role.Officer) || v.Has(role.Worker) || v.Has(role.Admin) {
		nav = append(nav, layout.NavItem{Label: "Overzicht", Href: "/overzicht"})
	}
	if v.Has(role.Officer) {
		nav = append(nav, layout.NavItem{Label: "Aanvragen", Href: "/aanvragen"})
	}
	if v.Has(role.Admin) {
		nav = append(nav, layout.NavItem{Label: "Beheer", Href: "/beheer"})
	}
	nav = append(nav, layout.NavItem{Label: "Berichten", Href: "/berichten"})
	nav = append(nav, layout.NavItem{Label: "Meldingen", Href: "/meldingen", Count: v.Unread, CountLabel: "ongelezen"})
	return append(nav, layout.NavItem{Label: "Mijn account", Href: "/account"})
}
