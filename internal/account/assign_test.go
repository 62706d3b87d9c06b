package account_test

import (
	"slices"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/account"
	"github.com/buurtkracht/buurtkracht/internal/role"
)

func TestValidateAssign(t *testing.T) {
	t.Parallel()
	c := account.AssignChoices{
		Organisations:  []account.Organisation{{ID: 3, Name: "Welzijn Oost", Kind: account.OrgWelfare}},
		Municipalities: []account.Municipality{{ID: 7, Code: "GM0344", Name: "Utrecht"}},
	}
	id := func(n int64) *int64 { return &n }
	tests := []struct {
		name      string
		form      account.AssignForm
		keepAdmin bool
		roles     []role.Role
		org, muni *int64
		areas     []int64
		errs      map[string]string // field: message; nil for none
		detail    string
	}{
		{name: "nothing ticked: a resident", roles: []role.Role{role.Resident}, detail: "rollen: bewoner"},
		{
			name:  "roles once each, in order",
			form:  account.AssignForm{Roles: []string{"admin", "resident", "admin"}},
			roles: []role.Role{role.Resident, role.Admin}, detail: "rollen: bewoner, beheerder",
		},
		{
			name:  "unknown role",
			form:  account.AssignForm{Roles: []string{"koning"}},
			roles: []role.Role{role.Resident}, errs: map[string]string{"rollen": "Kies alleen rollen uit de lijst."},
		},
		{
			name:  "own admin role kept",
			form:  account.AssignForm{Roles: []string{"admin"}},
			roles: []role.Role{role.Resident, role.Admin}, keepAdmin: true, detail: "rollen: bewoner, beheerder",
		},
		{
			name:  "own admin role taken away",
			form:  account.AssignForm{Roles: []string{"worker"}, WorkAreas: []string{"12"}},
			roles: []role.Role{role.Resident, role.Worker}, keepAdmin: true, areas: []int64{12},
			errs: map[string]string{"rollen": "Je kunt je eigen beheerdersrol niet intrekken. Vraag een andere beheerder om dat te doen."},
		},
		{
			name:  "organisation",
			form:  account.AssignForm{Organisation: "3"},
			roles: []role.Role{role.Resident}, org: id(3), detail: "rollen: bewoner; organisatie: Welzijn Oost",
		},
		{
			name:  "unknown organisation",
			form:  account.AssignForm{Organisation: "4"},
			roles: []role.Role{role.Resident}, errs: map[string]string{"organisatie": "Kies uit de lijst."},
		},
		{
			name:  "officer with municipality",
			form:  account.AssignForm{Roles: []string{"officer"}, Municipality: "7"},
			roles: []role.Role{role.Resident, role.Officer}, muni: id(7), detail: "rollen: bewoner, gemeente; gemeente: Utrecht",
		},
		{
			name:  "officer without municipality",
			form:  account.AssignForm{Roles: []string{"officer"}, Municipality: "8"},
			roles: []role.Role{role.Resident, role.Officer},
			errs:  map[string]string{"gemeente": "Kies de gemeente waarvoor deze medewerker werkt."},
		},
		{
			name:  "municipality only for officers",
			form:  account.AssignForm{Municipality: "7"},
			roles: []role.Role{role.Resident}, detail: "rollen: bewoner",
		},
		{
			name:  "worker with areas",
			form:  account.AssignForm{Roles: []string{"worker"}, WorkAreas: []string{"12", "13", "12"}},
			roles: []role.Role{role.Resident, role.Worker}, areas: []int64{12, 13, 12},
			detail: "rollen: bewoner, opbouwwerker; werkgebied: 2 buurten",
		},
		{
			name:  "worker without areas",
			form:  account.AssignForm{Roles: []string{"worker"}},
			roles: []role.Role{role.Resident, role.Worker},
			errs:  map[string]string{"werkgebied": "Kies minstens één buurt als werkgebied. Kies eerst een gemeente en klik op ‘Toon buurten’."},
		},
		{
			name:  "worker with a bad area",
			form:  account.AssignForm{Roles: []string{"worker"}, WorkAreas: []string{"12", "x"}},
			roles: []role.Role{role.Resident, role.Worker}, areas: []int64{12},
			errs: map[string]string{"werkgebied": "Kies uit de lijst."},
		},
		{
			name:  "areas only for workers",
			form:  account.AssignForm{WorkAreas: []string{"12"}},
			roles: []role.Role{role.Resident}, detail: "rollen: bewoner",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, errs := account.ValidateAssign(tt.form, c, tt.keepAdmin)
			if !slices.Equal(a.Roles, tt.roles) {
				t.Errorf("roles %v, want %v", a.Roles, tt.roles)
			}
			if !samePtr(a.OrganisationID, tt.org) || !samePtr(a.MunicipalityID, tt.muni) {
				t.Errorf("organisation %v, municipality %v; want %v, %v", a.OrganisationID, a.MunicipalityID, tt.org, tt.muni)
			}
			if !slices.Equal(a.WorkAreas, tt.areas) {
				t.Errorf("work areas %v, want %v", a.WorkAreas, tt.areas)
			}
			if len(errs) != len(tt.errs) {
				t.Errorf("errors %v, want %v", errs, tt.errs)
			}
			for field, msg := range tt.errs {
				if got := errs.Get(field); got != msg {
					t.Errorf("%s: %q, want %q", field, got, msg)
				}
			}
			if tt.errs == nil {
				if got := c.Describe(a); got != tt.detail {
					t.Errorf("detail %q, want %q", got, tt.detail)
				}
			}
		})
	}
}

func samePtr(a, b *int64) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}
