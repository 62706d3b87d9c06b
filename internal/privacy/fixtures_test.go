package privacy_test

import (
	"context"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/account"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// world is a small neighbourhood where Anna has something of every kind of
// data, and her neighbours have data of their own that her export must not
// show.
type world struct {
	anna, bram, carla, dirk, admin account.Account
	nb1, nb2                       int64
	shared, solo, brams            int64 // initiatives: Anna+Bram+Carla, Anna alone, Bram's
	annaSignal, bramSignal         int64
}

// Strings that belong to others and must never appear in Anna's export.
const (
	bramNote        = "BRAM-GEHEIM-CONTACT"
	bramActNote     = "BRAM-GEHEIM-ACTIVITEIT"
	bramSignalText  = "BRAM-SIGNAAL-BESCHRIJVING"
	bramTokenName   = "BRAM-TOKEN"
	dirkOfferText   = "DIRK-AANBOD"
	annaContactNote = "ANNA-NOTITIE-CONTACT"
	annaActNote     = "ANNA-NOTITIE-ACTIVITEIT"
	annaDraftStory  = "ANNA-CONCEPTVERHAAL"
	annaSharedStory = "ANNA-GEDEELD-VERHAAL"
	soloContact     = "06-12345678"
	soloTitle       = "<script>alert(1)</script> Buurtkamer"
	annaPhotoAlt    = "ANNA-FOTO tomaten in de moestuin"
	bramPhotoAlt    = "BRAM-FOTO soldeerbout"
)

func exec(t testing.TB, s *testkit.Server, sql string, args ...any) {
	t.Helper()
	if _, err := s.DB.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("fixture: %v\n%s", err, sql)
	}
}

func id(t testing.TB, s *testkit.Server, sql string, args ...any) int64 {
	t.Helper()
	var v int64
	if err := s.DB.QueryRow(context.Background(), sql, args...).Scan(&v); err != nil {
		t.Fatalf("fixture: %v\n%s", err, sql)
	}
	return v
}

func seedWorld(t testing.TB, s *testkit.Server) world {
	t.Helper()
	var w world
	geo := testkit.NewGeo(t, s.DB)
	gm := geo.Municipality("GM0344", "Utrecht")
	geo.District("WK034403", "Oost")
	w.nb1 = geo.Neighbourhood("BU03440301", "Oudwijk")
	w.nb2 = geo.Neighbourhood("BU03440302", "Wittevrouwen")
	org := id(t, s, `INSERT INTO organisations (name, kind) VALUES ('Welzijn Oost', 'welzijn') RETURNING id`)

	w.anna = s.CreateUser(t, "anna@example.nl", role.Resident, role.Worker, role.Officer)
	w.bram = s.CreateUser(t, "bram@example.nl", role.Resident, role.Worker)
	w.carla = s.CreateUser(t, "carla@example.nl")
	w.dirk = s.CreateUser(t, "dirk@example.nl")
	w.admin = s.CreateUser(t, "beheerder@example.nl", role.Admin)
	exec(t, s, `UPDATE accounts SET home_neighbourhood_id = $2, organisation_id = $3, municipality_id = $4 WHERE id = $1`, w.anna.ID, w.nb1, org, gm)
	exec(t, s, `INSERT INTO account_work_areas (account_id, neighbourhood_id) VALUES ($1, $3), ($2, $3)`, w.anna.ID, w.bram.ID, w.nb1)

	newInitiative := func(title, details string, by int64) int64 {
		i := id(t, s, `INSERT INTO initiatives (title, summary, municipality_id, form, status, contact_preference, contact_details, visibility, created_by, idempotency_key)
			VALUES ($1, 'Samen iets moois', $2, 'informal', 'idee', 'telefoon', $3, 'public', $4, gen_random_uuid()) RETURNING id`, title, gm, details, by)
		exec(t, s, `INSERT INTO initiative_neighbourhoods (initiative_id, neighbourhood_id) VALUES ($1, $2)`, i, w.nb1)
		exec(t, s, `INSERT INTO initiative_status_history (initiative_id, to_status, changed_by) VALUES ($1, 'idee', $2)`, i, by)
		return i
	}
	// Shared: Anna first, then Bram (a day later), then Carla (two days later).
	w.shared = newInitiative("Moestuin Oudwijk", "", w.anna.ID)
	exec(t, s, `INSERT INTO initiative_owners (initiative_id, account_id, added_by, added_at) VALUES
		($1, $2, $2, now() - interval '3 days'), ($1, $3, $2, now() - interval '2 days'), ($1, $4, $2, now() - interval '1 day')`,
		w.shared, w.anna.ID, w.bram.ID, w.carla.ID)
	exec(t, s, `INSERT INTO initiative_needs (initiative_id, need, details) VALUES ($1, 'materiaal', 'Een kruiwagen')`, w.shared)
	exec(t, s, `INSERT INTO initiative_updates (initiative_id, author_id, body) VALUES ($1, $2, 'De eerste tomaten!'), ($1, $3, 'Bram was er ook')`, w.shared, w.anna.ID, w.bram.ID)
	exec(t, s, `INSERT INTO funding_requests (initiative_id, fund_id, amount_cents, purpose, budget, created_by) VALUES ($1, $3, 25000, 'Zaden en gereedschap', 'Zaden 100, schoppen 150', $2)`, w.shared, w.anna.ID, testkit.DefaultFund(t, s.DB, w.shared))
	exec(t, s, `INSERT INTO initiative_supporters (initiative_id, account_id) VALUES ($1, $2)`, w.shared, w.dirk.ID)
	exec(t, s, `INSERT INTO initiative_offers (initiative_id, account_id, need, message) VALUES ($1, $2, 'materiaal', $3)`, w.shared, w.dirk.ID, dirkOfferText)
	// Anna also manages the funds of a charitable fund (funder staff).
	exec(t, s, `WITH f AS (INSERT INTO organisations (name, kind, funder_since) VALUES ('Fonds Oost', 'fonds', now()) RETURNING id)
		INSERT INTO funder_staff (account_id, organisation_id) SELECT $1, id FROM f`, w.anna.ID)
	// Solo: Anna alone, with her phone number as contact.
	w.solo = newInitiative(soloTitle, soloContact, w.anna.ID)
	exec(t, s, `INSERT INTO initiative_owners (initiative_id, account_id, added_by) VALUES ($1, $2, $2)`, w.solo, w.anna.ID)
	// Bram's own: Anna joins, offers help, reports it and (as officer) decides his request.
	w.brams = newInitiative("Repair café", "bram@example.nl", w.bram.ID)
	exec(t, s, `INSERT INTO initiative_owners (initiative_id, account_id, added_by) VALUES ($1, $2, $2)`, w.brams, w.bram.ID)
	exec(t, s, `INSERT INTO initiative_supporters (initiative_id, account_id) VALUES ($1, $2)`, w.brams, w.anna.ID)
	exec(t, s, `INSERT INTO initiative_offers (initiative_id, account_id, need, message) VALUES ($1, $2, 'kennis', 'Ik kan solderen')`, w.brams, w.anna.ID)
	exec(t, s, `INSERT INTO initiative_reports (initiative_id, reporter_id, reason) VALUES ($1, $2, 'Verkeerde buurt')`, w.brams, w.anna.ID)
	exec(t, s, `INSERT INTO funding_requests (initiative_id, fund_id, amount_cents, granted_cents, purpose, budget, created_by, status, decided_by, decided_at, reason)
		VALUES ($1, $4, 50000, 50000, 'Soldeerbouten', 'Vijf stuks', $2, 'toegekend', $3, now(), 'Goed plan')`, w.brams, w.bram.ID, w.anna.ID, testkit.DefaultFund(t, s.DB, w.brams))
	// Invitations to become co-owner: Bram invites Anna's address, Anna invites someone without an account.
	exec(t, s, `INSERT INTO initiative_invitations (initiative_id, email_hash, email_hint, invited_by, expires_at) VALUES
		($1, sha256('anna@example.nl'), 'a…@example.nl', $2, now() + interval '30 days'),
		($3, sha256('erik@example.nl'), 'e…@example.nl', $4, now() + interval '30 days')`, w.brams, w.bram.ID, w.shared, w.anna.ID)

	// Assets: a talent (personal) and a meeting place (for the neighbourhood).
	exec(t, s, `INSERT INTO assets (kind, place_type, name, neighbourhood_id, needs, visibility, created_by, create_token) VALUES
		('talent', '', 'Ik kan fietsen repareren', $1, '{kennis}', 'members', $2, 'token-anna-talent-0001'),
		('plek', 'buurthuis', 'Buurthuis De Linde', $1, '{ruimte}', 'public', $2, 'token-anna-place-00001')`, w.nb1, w.anna.ID)
	// Photos: Anna's of the shared initiative, Bram's of his own.
	exec(t, s, `INSERT INTO photos (initiative_id, uploaded_by, alt_text, width, height, hash, idempotency_key) VALUES
		($1, $2, $5, 1, 1, '0123456789abcdef', gen_random_uuid()), ($3, $4, $6, 1, 1, 'fedcba9876543210', gen_random_uuid())`,
		w.shared, w.anna.ID, w.brams, w.bram.ID, annaPhotoAlt, bramPhotoAlt)
	exec(t, s, `INSERT INTO photo_variants (photo_id, width, height, content_type, data) SELECT id, 1, 1, 'image/jpeg', '\xffd8ff' FROM photos`)

	// Signals: Anna's, answered by Bram; Bram's, answered by Anna.
	newSignal := func(title, desc string, by int64) int64 {
		return id(t, s, `INSERT INTO signals (neighbourhood_id, title, description, theme, addressed_to, raised_by, raised_as, idempotency_key)
			VALUES ($1, $2, $3, 'wonen', 'gemeente', $4, 'resident', gen_random_uuid()) RETURNING id`, w.nb1, title, desc, by)
	}
	w.annaSignal = newSignal("Gordijnen overdag dicht", "Bij nummer 12 al een week", w.anna.ID)
	w.bramSignal = newSignal("Buurthuis sluit", bramSignalText, w.bram.ID)
	exec(t, s, `INSERT INTO signal_responses (signal_id, author_id, author_role, body, idempotency_key) VALUES ($1, $2, 'worker', 'Ik ga langs', gen_random_uuid())`, w.annaSignal, w.bram.ID)
	exec(t, s, `INSERT INTO signal_responses (signal_id, author_id, author_role, body, idempotency_key) VALUES ($1, $2, 'officer', 'Staat op de agenda', gen_random_uuid())`, w.bramSignal, w.anna.ID)
	// Anna recognises and follows Bram's signal; Bram follows Anna's.
	exec(t, s, `INSERT INTO signal_recognitions (signal_id, account_id) VALUES ($1, $2)`, w.bramSignal, w.anna.ID)
	exec(t, s, `INSERT INTO signal_followers (signal_id, account_id) VALUES ($1, $2), ($3, $4)`, w.bramSignal, w.anna.ID, w.annaSignal, w.bram.ID)

	// Work: contacts and activities with private notes, Anna's and Bram's.
	exec(t, s, `INSERT INTO contacts (worker_id, occurred_at, neighbourhood_id, place_type, people_count, strategy, energy, note, client_id) VALUES
		($1, now() - interval '1 day', $3, 'straat', 3, 'bonding', 'Buurtfeest', $4, gen_random_uuid()),
		($1, now() - interval '2 days', $3, 'schoolplein', 5, 'bridging', '', NULL, gen_random_uuid()),
		($2, now() - interval '1 day', $3, 'buurthuis', 2, 'linking', '', $5, gen_random_uuid())`,
		w.anna.ID, w.bram.ID, w.nb1, annaContactNote, bramNote)
	exec(t, s, `INSERT INTO activities (title, date, neighbourhood_id, strategy, participant_count, note, note_written_at, story, created_by, idempotency_key) VALUES
		('Buurtsoep', current_date, $3, 'bonding', 20, $4, now(), $5, $1, gen_random_uuid()),
		('Bewonersavond', current_date, $3, 'linking', 12, $6, now(), '', $2, gen_random_uuid())`,
		w.anna.ID, w.bram.ID, w.nb1, annaActNote, annaDraftStory, bramActNote)
	exec(t, s, `INSERT INTO activities (title, date, neighbourhood_id, strategy, story, story_shared_at, created_by, idempotency_key)
		VALUES ('Straatspeeldag', current_date, $2, 'bridging', $3, now(), $1, gen_random_uuid())`, w.anna.ID, w.nb1, annaSharedStory)

	// Tokens, a password reset and the audit trail.
	exec(t, s, `INSERT INTO api_tokens (account_id, name, token_hash) VALUES ($1, 'Telefoon Anna', sha256('anna'::bytea)), ($2, $3, sha256('bram'::bytea))`,
		w.anna.ID, w.bram.ID, bramTokenName)
	exec(t, s, `INSERT INTO password_resets (token_hash, account_id, expires_at) VALUES (sha256('reset-anna'::bytea), $1, now() + interval '1 hour')`, w.anna.ID)
	exec(t, s, `INSERT INTO audit_log (actor_id, action, subject_type, subject_id) VALUES
		($1, 'account.view', 'account', $2), ($1, 'account.view', 'account', $3), ($2, 'signal.view', 'signal', $4)`,
		w.admin.ID, w.anna.ID, w.bram.ID, w.bramSignal)
	return w
}
