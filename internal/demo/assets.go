package demo

import (
	"context"
	"fmt"

	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/jackc/pgx/v5"
)

// The asset map of the demo: meeting places, a network, a business and a few
// residents' talents in Oog in Al and Welgelegen (Utrecht, Wijk 01 West). All
// names are made up.
func init() {
	register(step{name: "assets", run: seedAssets})
}

// talentOwners are two extra demo residents whose talents show how a talent
// appears with a first name only. They log in with the demo password.
var talentOwners = []struct{ email, name string }{
	{"fatima@demo.buurtkracht.nl", "Fatima El Amrani"},
	{"henk@demo.buurtkracht.nl", "Henk de Vries"},
}

type demoAsset struct {
	token, kind, placeType, name, description, neighbourhood string
	needs                                                    []string
	website, phone, address, visibility                      string
	owner                                                    string // e-mail of the creator
}

var demoAssets = []demoAsset{
	{token: "demo-seed-asset-buurthuis", kind: "plek", placeType: "buurthuis", name: "Buurthuis De Kaderzaal",
		description:   "Grote zaal voor veertig mensen, een keuken en een opslagruimte. Bewonersgroepen kunnen er doordeweeks gratis terecht.",
		neighbourhood: "BU03440112", needs: []string{"ruimte", "materiaal"}, address: "Kaderstraat 12 (voorbeeldadres)",
		phone: "030 000 00 01", visibility: "public", owner: WorkerEmail},
	{token: "demo-seed-asset-bibliotheek", kind: "plek", placeType: "bibliotheek", name: "Buurtbibliotheek De Leeshoek",
		description:   "Leestafel, computers en een ruimte voor kleine bijeenkomsten. Helpt graag met folders en het vinden van informatie.",
		neighbourhood: "BU03440112", needs: []string{"ruimte", "kennis"}, visibility: "public", owner: WorkerEmail},
	{token: "demo-seed-asset-cafe", kind: "plek", placeType: "cafe", name: "Buurtcafé De Stoep",
		description:   "Op maandagmiddag is de achterzaal vrij voor buurtinitiatieven; koffie voor eigen rekening.",
		neighbourhood: "BU03440111", needs: []string{"ruimte"}, visibility: "public", owner: ResidentEmail},
	{token: "demo-seed-asset-netwerk", kind: "netwerk", name: "Moestuinnetwerk West",
		description:   "Bewoners die samen vier moestuinen onderhouden. Zoekt en deelt gereedschap, zaden en handen.",
		neighbourhood: "BU03440112", needs: []string{"vrijwilligers", "kennis", "materiaal"}, visibility: "public", owner: ResidentEmail},
	{token: "demo-seed-asset-bedrijf", kind: "bedrijf", name: "Fietsenmaker De Spaak",
		description:   "Leent een aanhanger uit en sponsort af en toe een buurtactiviteit.",
		neighbourhood: "BU03440111", needs: []string{"materiaal", "geld"}, visibility: "public", owner: WorkerEmail},
	{token: "demo-seed-asset-talent-naaien", kind: "talent", name: "naaimachines repareren en naailes geven",
		description: "Op zaterdagochtend, bij het buurthuis.", neighbourhood: "BU03440112", needs: []string{"kennis", "materiaal"},
		visibility: "members", owner: "fatima@demo.buurtkracht.nl"},
	{token: "demo-seed-asset-talent-koken", kind: "talent", name: "koken voor grote groepen",
		neighbourhood: "BU03440112", needs: []string{"vrijwilligers"}, visibility: "members", owner: "fatima@demo.buurtkracht.nl"},
	{token: "demo-seed-asset-talent-klussen", kind: "talent", name: "klussen en kleine reparaties doen",
		neighbourhood: "BU03440111", needs: []string{"vrijwilligers", "kennis"}, visibility: "members", owner: "henk@demo.buurtkracht.nl"},
	{token: "demo-seed-asset-talent-subsidie", kind: "talent", name: "een subsidieaanvraag schrijven",
		neighbourhood: "BU03440112", needs: []string{"geld", "kennis"}, visibility: "members", owner: ResidentEmail},
}

func seedAssets(ctx context.Context, tx pgx.Tx, d *Data) error {
	owners := map[string]int64{}
	for _, o := range talentOwners {
		// The same password as the demo resident: copy its hash.
		if _, err := tx.Exec(ctx, `
			INSERT INTO accounts (email, display_name, password_hash, roles, home_neighbourhood_id, email_confirmed_at)
			SELECT $1, $2, password_hash, ARRAY[$3]::text[], $4, now() FROM accounts WHERE email = $5
			ON CONFLICT (email) DO NOTHING`, o.email, o.name, role.Resident, d.HomeID, ResidentEmail); err != nil {
			return fmt.Errorf("assets: account %s: %w", o.email, err)
		}
	}
	rows, err := tx.Query(ctx, `SELECT email::text, id FROM accounts WHERE email = ANY($1::citext[])`,
		[]string{ResidentEmail, WorkerEmail, talentOwners[0].email, talentOwners[1].email})
	if err != nil {
		return fmt.Errorf("assets: owners: %w", err)
	}
	var email string
	var id int64
	if _, err := pgx.ForEachRow(rows, []any{&email, &id}, func() error { owners[email] = id; return nil }); err != nil {
		return fmt.Errorf("assets: owners: %w", err)
	}
	for _, a := range demoAssets {
		nb, err := d.Neighbourhood(a.neighbourhood)
		if err != nil {
			return err
		}
		owner, ok := owners[a.owner]
		if !ok {
			return fmt.Errorf("assets: owner %s missing", a.owner)
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO assets (kind, place_type, name, description, neighbourhood_id, needs, website, phone, address,
			                    visibility, created_by, create_token)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
			ON CONFLICT ON CONSTRAINT assets_create_token_key DO NOTHING`,
			a.kind, a.placeType, a.name, a.description, nb, a.needs, a.website, a.phone, a.address,
			a.visibility, owner, a.token); err != nil {
			return fmt.Errorf("assets: %s: %w", a.name, err)
		}
	}
	return nil
}
