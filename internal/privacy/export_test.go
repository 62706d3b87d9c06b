package privacy_test

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// TestExportHasEverythingOfTheViewerAndNothingOfOthers downloads Anna's
// data: every part holds her data of that kind, and nothing of her
// neighbours (their notes, e-mail addresses, tokens, offers, or the name of
// anyone but her co-owners and the administrator who opened her account).
func TestExportHasEverythingOfTheViewerAndNothingOfOthers(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	w := seedWorld(t, s)
	c := s.Login(t, "anna@example.nl")

	res := c.Get("/account/gegevens.json")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", res.StatusCode, res.Body)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("content type %q", ct)
	}
	if cd := res.Header.Get("Content-Disposition"); !regexp.MustCompile(`^attachment; filename="buurtkracht-gegevens-\d{4}-\d{2}-\d{2}\.json"$`).MatchString(cd) {
		t.Errorf("content disposition %q", cd)
	}
	if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Errorf("cache control %q: personal data must not be cached", cc)
	}

	var doc map[string]json.RawMessage
	if err := json.Unmarshal([]byte(res.Body), &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	part := func(key string) string {
		t.Helper()
		raw, ok := doc[key]
		if !ok {
			t.Fatalf("export lacks %q", key)
		}
		return string(raw)
	}
	var format string
	_ = json.Unmarshal(doc["format"], &format)
	if format != "buurtkracht-gegevens/1" {
		t.Errorf("format %q", format)
	}

	// Each part holds Anna's data of its kind.
	for _, tc := range []struct {
		key  string
		want []string
	}{
		{"account", []string{`"anna@example.nl"`, `"display_name":"anna"`, `"officer"`, `"worker"`, `"Oudwijk"`, `"Welzijn Oost"`, `"GM0344"`, `"work_areas":[{"code":"BU03440301"`}},
		{"initiatives_owned", []string{`"Moestuin Oudwijk"`, `Buurtkamer`, `"co_owners":["bram","carla"]`, `"Een kruiwagen"`,
			`"De eerste tomaten!"`, `"written_by_you":true`, `{"body":"Bram was er ook","created_at":`, `"Zaden en gereedschap"`, `"submitted_by_you":true`, `"to":"idee"`,
			`"supporter_count":1`, `"offer_count":1`, soloContact}},
		{"initiatives_supported", []string{`"Repair café"`}},
		{"initiative_invitations", []string{`"direction":"received"`, `"direction":"sent"`, `"Repair café"`, `"Moestuin Oudwijk"`}},
		{"offers", []string{`"Ik kan solderen"`}},
		{"updates_written", []string{`"De eerste tomaten!"`}},
		{"reports", []string{`"Verkeerde buurt"`}},
		{"funding_decisions", []string{`"Soldeerbouten"`, `"Goed plan"`}},
		{"funder_staff", []string{`"organisation":"Fonds Oost"`}},
		{"assets", []string{`"Ik kan fietsen repareren"`, `"Buurthuis De Linde"`}},
		{"signals_raised", []string{`"Gordijnen overdag dicht"`, `"Ik ga langs"`, `"author_role":"worker"`}},
		{"signal_responses_written", []string{`"Staat op de agenda"`, `"Buurthuis sluit"`}},
		{"signals_recognised", []string{`"signal_title":"Buurthuis sluit"`}},
		{"signals_followed", []string{`"signal_title":"Buurthuis sluit"`}},
		{"contacts", []string{annaContactNote, `"Buurtfeest"`, `"people_count":5`}},
		{"activities", []string{annaActNote, annaDraftStory, annaSharedStory, `"Buurtsoep"`}},
		{"api_tokens", []string{`"Telefoon Anna"`}},
		{"password_resets", []string{`"expires_at"`}},
		{"audit_about_you", []string{`"account.view"`, `"by":"beheerder"`}},
		{"audit_by_you", []string{`"signal.view"`}},
		{"photos_uploaded", []string{annaPhotoAlt, `"subject":"Moestuin Oudwijk"`, `"links":["/fotos/`, `/1-0123456789abcdef.jpg"]`}},
	} {
		got := compact(t, part(tc.key))
		for _, want := range tc.want {
			if !strings.Contains(got, want) {
				t.Errorf("%s lacks %s:\n%s", tc.key, want, got)
			}
		}
	}

	// Nothing of anyone else, and no secrets.
	var hash string
	if err := s.DB.QueryRow(context.Background(), `SELECT password_hash FROM accounts WHERE id = $1`, w.anna.ID).Scan(&hash); err != nil {
		t.Fatal(err)
	}
	for _, banned := range []string{
		bramNote, bramActNote, bramSignalText, bramTokenName, dirkOfferText, bramPhotoAlt,
		"bram@example.nl", "carla@example.nl", "dirk@example.nl", "beheerder@example.nl", `"dirk"`,
		hash, "token_hash", "password_hash", "client_id", "e…@example.nl", "email_hash",
	} {
		if strings.Contains(res.Body, banned) {
			t.Errorf("export contains %q, which is not Anna's", banned)
		}
	}
	// Her own signal's response: the role is there, the responder's name is not.
	if strings.Contains(compact(t, part("signals_raised")), `"bram"`) {
		t.Error("the response to Anna's signal names its author")
	}
}

// TestExportOfAnEmptyAccount: a fresh resident gets every part, as empty lists.
func TestExportOfAnEmptyAccount(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	s.CreateUser(t, "nieuw@example.nl")
	res := s.Login(t, "nieuw@example.nl").Get("/account/gegevens.json")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal([]byte(res.Body), &doc); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"initiatives_owned", "initiatives_supported", "initiative_invitations", "offers", "updates_written", "reports",
		"funding_decisions", "funder_staff", "assets", "signals_raised", "signal_responses_written", "signals_recognised", "signals_followed", "contacts", "activities",
		"api_tokens", "password_resets", "audit_about_you", "audit_by_you"} {
		if got := string(doc[key]); got != "[]" {
			t.Errorf("%s = %s, want []", key, got)
		}
	}
	if !strings.Contains(string(doc["account"]), `"home_neighbourhood": null`) {
		t.Errorf("account: %s", doc["account"])
	}
}

// TestPrivacyRoutesNeedLogin: anonymous visitors go to the login page.
func TestPrivacyRoutesNeedLogin(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	c := s.Client(t)
	for _, path := range []string{"/account/gegevens.json", "/account/verwijderen"} {
		res := c.Get(path)
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Location(), "/inloggen") {
			t.Errorf("GET %s: %d %s", path, res.StatusCode, res.Location())
		}
	}
	res := c.PostForm("/account/verwijderen", map[string][]string{"password": {testkit.Password}, "confirm": {"ja"}})
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Location(), "/inloggen") {
		t.Errorf("POST: %d %s", res.StatusCode, res.Location())
	}
}

// TestAccountPageLinksToPrivacy: the section on /account links to both pages.
func TestAccountPageLinksToPrivacy(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	s.CreateUser(t, "bewoner@example.nl")
	res := s.Login(t, "bewoner@example.nl").Get("/account")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	for _, want := range []string{`data-testid="privacy-section"`, `href="/account/gegevens.json"`, `href="/account/verwijderen"`} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("account page lacks %s", want)
		}
	}
}

func compact(t *testing.T, s string) string {
	t.Helper()
	var b strings.Builder
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(v)
	b.Write(out)
	return b.String()
}
