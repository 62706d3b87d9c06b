package initiative_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// The phone number an initiative publishes is shown only to people who
// joined or own it as residents; never to anyone holding the officer role
// (also when they are a resident as well, even an owner), nor to workers or
// administrators for their role, nor in the open data API. Where it is
// shown, writing a message through Buurtkracht comes first.
func TestContactDetailsOnlyForResidentMembers(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	g := seedGeo(t, s)
	const phone = "06-12345678"
	s.CreateUser(t, "anna@example.org")
	anna := s.Login(t, "anna@example.org")
	id := create(t, anna, func(f url.Values) { f.Set("contact", "telefoon"); f.Set("contactgegevens", phone) })

	type viewer struct {
		name  string
		roles []role.Role // nil: anonymous
		join  bool        // clicks "Ik doe mee"
		owner bool        // becomes co-owner by invitation
		sees  bool
	}
	viewers := []viewer{
		{name: "anonymous"},
		{name: "resident, not joined", roles: []role.Role{role.Resident}},
		{name: "resident, joined", roles: []role.Role{role.Resident}, join: true, sees: true},
		{name: "resident, co-owner", roles: []role.Role{role.Resident}, owner: true, sees: true},
		{name: "officer, joined", roles: []role.Role{role.Officer}, join: true},
		{name: "officer and resident, joined", roles: []role.Role{role.Resident, role.Officer}, join: true},
		{name: "officer and resident, co-owner", roles: []role.Role{role.Resident, role.Officer}, owner: true},
		{name: "worker, joined", roles: []role.Role{role.Worker}, join: true},
		{name: "worker and resident, joined", roles: []role.Role{role.Resident, role.Worker}, join: true, sees: true},
		{name: "worker, not joined", roles: []role.Role{role.Resident, role.Worker}},
		{name: "administrator", roles: []role.Role{role.Admin}},
		{name: "administrator, joined", roles: []role.Role{role.Admin}, join: true},
	}
	for k, v := range viewers {
		t.Run(v.name, func(t *testing.T) {
			c := s.Client(t)
			if v.roles != nil {
				email := "kijker" + strconv.Itoa(k) + "@example.org"
				s.CreateUser(t, email, v.roles...)
				officerOf(t, s, email, g.utrecht)
				c = s.Login(t, email)
				if v.join {
					post(t, c, path(id, "/meedoen"), url.Values{"actie": {"mee"}})
				}
				if v.owner {
					coOwner(t, s, anna, id, email)
				}
			}
			body := c.Get(path(id, "")).Body
			if got := strings.Contains(body, phone); got != v.sees {
				t.Errorf("phone number shown: %v, want %v", got, v.sees)
			}
			if v.sees && !v.owner {
				msg, details := strings.Index(body, `data-testid="contact-message"`), strings.Index(body, `data-testid="contact-details"`)
				if msg < 0 || msg > details {
					t.Error("the contact details do not offer a message first")
				}
			}
			if v.roles != nil && !v.owner && !strings.Contains(body, `data-testid="contact-message"`) {
				t.Error("a logged-in visitor is not offered to send a message")
			}
			if api := c.Get("/api/v1/initiatives/" + strconv.FormatInt(id, 10)); api.StatusCode != http.StatusOK || strings.Contains(api.Body, phone) {
				t.Errorf("API: %d, phone number shown: %v", api.StatusCode, strings.Contains(api.Body, phone))
			}
			if list := c.Get("/api/v1/initiatives"); strings.Contains(list.Body, phone) {
				t.Error("the API list shows the phone number")
			}
			// An owner who is also an officer edits without seeing the
			// number, and saving keeps it.
			if v.owner && !v.sees {
				form := c.Get(path(id, "/bewerken"))
				if form.StatusCode != http.StatusOK || strings.Contains(form.Body, phone) || !strings.Contains(form.Body, `data-testid="contact-hidden"`) {
					t.Errorf("edit form: %d, shows the phone number or no note why not", form.StatusCode)
				}
				f := editForm(t, c, id)
				f.Set("contactgegevens", "")
				f.Set("contact", "telefoon")
				post(t, c, path(id, "/bewerken"), f)
				if n := count(t, s, `SELECT count(*) FROM initiatives WHERE id = $1 AND contact_details = $2`, id, phone); n != 1 {
					t.Error("an edit by someone who cannot see the number lost it")
				}
			}
		})
	}
	// An administrator manages the initiative, but edits without the number too.
	s.CreateUser(t, "beheer@example.org", role.Admin)
	if form := s.Login(t, "beheer@example.org").Get(path(id, "/bewerken")); form.StatusCode != http.StatusOK || strings.Contains(form.Body, phone) {
		t.Errorf("administrator's edit form: %d, phone number shown", form.StatusCode)
	}
	// The owner, a resident, still sees and edits it.
	if form := anna.Get(path(id, "/bewerken")); !strings.Contains(form.Body, phone) {
		t.Error("the owner's edit form lacks the phone number")
	}
}
