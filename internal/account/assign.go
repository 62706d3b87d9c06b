package account

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/validate"
)

// AssignChoices are what an assignment may point to: the organisations and
// municipalities that exist. Work areas are checked by the store, which
// knows every neighbourhood.
type AssignChoices struct {
	Organisations  []Organisation
	Municipalities []Municipality
}

// ValidateAssign turns the posted role form into an Assignment. Every
// account stays a resident; an officer needs a municipality, a worker at
// least one work area. keepAdmin is set when administrators edit their own
// account: they may not take away their own admin role (another
// administrator has to), so the platform never loses its last one by a slip.
func ValidateAssign(f AssignForm, c AssignChoices, keepAdmin bool) (Assignment, validate.Errors) {
	errs := validate.Errors{}
	a := Assignment{Roles: []role.Role{role.Resident}}
	for _, code := range f.Roles {
		ro := role.Role(code)
		if !slices.Contains(role.All, ro) {
			errs.Add("rollen", msgUnknownRole)
		}
		a.Roles = append(a.Roles, ro)
	}
	a.Roles = normaliseRoles(a.Roles)
	if keepAdmin && !slices.Contains(a.Roles, role.Admin) {
		errs.Add("rollen", msgOwnAdmin)
	}
	if f.Organisation != "" {
		i := slices.IndexFunc(c.Organisations, func(o Organisation) bool { return strconv.FormatInt(o.ID, 10) == f.Organisation })
		if i >= 0 {
			a.OrganisationID = &c.Organisations[i].ID
		} else {
			errs.Add("organisatie", msgPickFromList)
		}
	}
	if slices.Contains(a.Roles, role.Officer) {
		i := slices.IndexFunc(c.Municipalities, func(m Municipality) bool { return strconv.FormatInt(m.ID, 10) == f.Municipality })
		if i >= 0 {
			a.MunicipalityID = &c.Municipalities[i].ID
		} else {
			errs.Add("gemeente", msgOfficerNeedsMunicipality)
		}
	}
	if slices.Contains(a.Roles, role.Worker) {
		a.WorkAreas = parseIDs(f.WorkAreas)
		switch {
		case len(a.WorkAreas) != len(f.WorkAreas):
			errs.Add("werkgebied", msgPickFromList)
		case len(a.WorkAreas) == 0:
			errs.Add("werkgebied", msgWorkerNeedsArea)
		}
	}
	return a, errs
}

// Describe is the audit log's line for a, with names instead of ids.
func (c AssignChoices) Describe(a Assignment) string {
	detail := "rollen: " + rolesLabel(a.Roles)
	if a.OrganisationID != nil {
		if i := slices.IndexFunc(c.Organisations, func(o Organisation) bool { return o.ID == *a.OrganisationID }); i >= 0 {
			detail += "; organisatie: " + c.Organisations[i].Name
		}
	}
	if a.MunicipalityID != nil {
		if i := slices.IndexFunc(c.Municipalities, func(m Municipality) bool { return m.ID == *a.MunicipalityID }); i >= 0 {
			detail += "; gemeente: " + c.Municipalities[i].Name
		}
	}
	if len(a.WorkAreas) > 0 {
		detail += fmt.Sprintf("; werkgebied: %d buurten", len(uniqueIDs(a.WorkAreas)))
	}
	return detail
}

// parseIDs keeps the positive whole numbers of ss.
func parseIDs(ss []string) []int64 {
	var ids []int64
	for _, s := range ss {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 {
			ids = append(ids, id)
		}
	}
	return ids
}
