package demo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/initiative"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/jackc/pgx/v5"
)

// Residents' initiatives of the demo in Utrecht West: a vegetable garden, a
// broodfonds, a repair café and a members-only buurtkamer, with needs,
// supporters, an update, one pending and one decided funding request. All
// names are made up.
func init() {
	register(step{name: "initiatives", run: seedInitiatives})
}

type demoFunding struct {
	key, purpose, budget string
	cents                int64
	status               initiative.FundingStatus
	reason               string // a submitted request has no reason
}

// statusStep is an earlier status of a demo initiative, with its note.
type statusStep struct {
	status initiative.Status
	note   string
}

type demoInitiative struct {
	key                         string // idempotency key: the step adds each initiative once
	title, summary, description string
	neighbourhoods, themes      []string
	form, contact, details      string
	status                      initiative.Status
	visibility                  string
	owners                      []string // e-mails; the first created it
	supporters                  []string
	needs                       [][2]string
	updates                     []string
	history                     []statusStep // the way to the current status
	funding                     []demoFunding
}

var demoInitiatives = []demoInitiative{
	{key: "6d656f75-0000-4000-8000-000000000001", title: "Moestuin Oog in Al",
		summary:        "Buren kweken samen groente op het veldje achter de Kaderstraat.",
		description:    "Sinds het voorjaar werken we met zo'n vijftien buren in vier bakken. Iedereen mag meedoen, ook zonder groene vingers.\nDe oogst delen we, en wat over is gaat naar de voedselbank.",
		neighbourhoods: []string{"BU03440112"}, themes: []string{"openbare-ruimte", "ontmoeting", "duurzaamheid"},
		form: "informal", status: initiative.Active, contact: "platform", visibility: "public",
		owners: []string{ResidentEmail}, supporters: []string{"fatima@demo.buurtkracht.nl", "henk@demo.buurtkracht.nl", WorkerEmail},
		needs:   [][2]string{{"vrijwilligers", "Handen op zaterdagochtend, vooral in de zomer"}, {"materiaal", "Regentonnen, een kruiwagen en schoppen"}},
		updates: []string{"De eerste courgettes zijn geoogst! Zaterdag om tien uur gaan we de nieuwe bak vullen; koffie staat klaar."},
		history: []statusStep{{initiative.Idea, ""}, {initiative.Building, "We mogen het veldje van de gemeente gebruiken"}},
		funding: []demoFunding{{key: "6d656f75-0000-4000-8000-0000000000f1", purpose: "Regentonnen en twee compostbakken",
			budget: "Vier regentonnen € 360\nTwee compostbakken € 290\nGereedschap € 200", cents: 85000, status: initiative.Submitted}},
	},
	{key: "6d656f75-0000-4000-8000-000000000002", title: "Broodfonds Utrecht West",
		summary:        "Zelfstandigen in West vangen elkaar op als iemand langdurig ziek wordt.",
		description:    "We zoeken nog tien zelfstandig ondernemers om samen een broodfonds te beginnen. Elke maand leggen we een vast bedrag in; wie ziek wordt, krijgt een schenking van de anderen.",
		neighbourhoods: []string{"BU03440111", "BU03440112"}, themes: []string{"bestaanszekerheid", "elkaar-helpen"},
		form: "broodfonds", status: initiative.Building, contact: "email", details: "broodfonds-west@example.org", visibility: "public",
		owners: []string{"henk@demo.buurtkracht.nl", ResidentEmail}, supporters: []string{"fatima@demo.buurtkracht.nl"},
		needs:   [][2]string{{"kennis", "Iemand die al eens een broodfonds heeft opgezet"}, {"vrijwilligers", "Nog tien zelfstandigen die mee willen doen"}},
		history: []statusStep{{initiative.Idea, ""}},
	},
	{key: "6d656f75-0000-4000-8000-000000000003", title: "Repair Café De Spaak",
		summary:        "Elke eerste zaterdag van de maand repareren we samen kapotte spullen.",
		description:    "Breng je kapotte broodrooster, lamp, fiets of broek mee. Vrijwilligers kijken samen met jou hoe het te maken is. Zo gooien we minder weg en leren we van elkaar.",
		neighbourhoods: []string{"BU03440111"}, themes: []string{"duurzaamheid", "elkaar-helpen", "ontmoeting"},
		form: "informal", status: initiative.Active, contact: "platform", visibility: "public",
		owners: []string{WorkerEmail, "fatima@demo.buurtkracht.nl"}, supporters: []string{ResidentEmail, "henk@demo.buurtkracht.nl"},
		needs:   [][2]string{{"ruimte", "Een zaal voor de eerste zaterdag van de maand"}, {"vrijwilligers", "Mensen die kunnen solderen of naaien"}},
		history: []statusStep{{initiative.Idea, ""}, {initiative.Building, "Fietsenmaker De Spaak leent ons gereedschap"}},
		funding: []demoFunding{{key: "6d656f75-0000-4000-8000-0000000000f3", purpose: "Gereedschapskist en soldeerstation",
			budget: "Gereedschapskist € 600\nSoldeerstation € 250\nNaaimachine (tweedehands) € 400", cents: 125000,
			status: initiative.Granted, reason: "Het repair café brengt buren samen en vermindert afval; dat past bij het buurtbudget van West."}},
	},
	{key: "6d656f75-0000-4000-8000-000000000004", title: "Buurtkamer Halve Maan",
		summary:        "Een huiskamer voor de buurt waar je zonder afspraak binnenloopt voor koffie en een praatje.",
		description:    "We zoeken een ruimte op de begane grond, dicht bij de flats. Drie ochtenden per week open, gerund door bewoners.",
		neighbourhoods: []string{"BU03440113", "BU03440114"}, themes: []string{"ontmoeting", "inclusie"},
		form: "stichting", status: initiative.Idea, contact: "telefoon", details: "06 00 00 00 00 (voorbeeld)", visibility: "members",
		owners: []string{ResidentEmail}, supporters: []string{"henk@demo.buurtkracht.nl"},
		needs: [][2]string{{"ruimte", "Een ruimte op de begane grond, drie ochtenden per week"}, {"geld", "Huur en koffie voor het eerste jaar"}},
	},
}

func seedInitiatives(ctx context.Context, tx pgx.Tx, d *Data) error {
	ids, err := codeMap(ctx, tx, `SELECT email::text, id FROM accounts WHERE email LIKE '%@demo.buurtkracht.nl'`)
	if err != nil {
		return fmt.Errorf("initiatives: accounts: %w", err)
	}
	officer := d.Accounts[role.Officer]
	fund, err := demoBuurtbudget(ctx, tx, d)
	if err != nil {
		return err
	}
	for k, in := range demoInitiatives {
		creator, ok := ids[in.owners[0]]
		if !ok {
			return fmt.Errorf("initiatives: account %s missing", in.owners[0])
		}
		// Spread the creation dates over the past weeks, oldest first.
		created := d.Now.Add(-time.Duration(len(demoInitiatives)-k) * 9 * 24 * time.Hour)
		var id int64
		err := tx.QueryRow(ctx, `
			INSERT INTO initiatives (title, summary, description, municipality_id, themes, form, status, contact_preference,
			                         contact_details, visibility, created_by, idempotency_key, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)
			ON CONFLICT ON CONSTRAINT initiatives_idempotency_key DO NOTHING RETURNING id`,
			in.title, in.summary, in.description, d.UtrechtID, in.themes, in.form, in.status, in.contact,
			in.details, in.visibility, creator, in.key, created).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			continue // added by an earlier run
		}
		if err != nil {
			return fmt.Errorf("initiatives: %s: %w", in.title, err)
		}
		for _, code := range in.neighbourhoods {
			nb, err := d.Neighbourhood(code)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO initiative_neighbourhoods (initiative_id, neighbourhood_id) VALUES ($1, $2)`, id, nb); err != nil {
				return fmt.Errorf("initiatives: %s: neighbourhood: %w", in.title, err)
			}
		}
		for _, n := range in.needs {
			if _, err := tx.Exec(ctx, `INSERT INTO initiative_needs (initiative_id, need, details) VALUES ($1, $2, $3)`, id, n[0], n[1]); err != nil {
				return fmt.Errorf("initiatives: %s: need: %w", in.title, err)
			}
		}
		for _, e := range in.owners {
			if _, err := tx.Exec(ctx, `INSERT INTO initiative_owners (initiative_id, account_id, added_by, added_at) VALUES ($1, $2, $3, $4)`, id, ids[e], creator, created); err != nil {
				return fmt.Errorf("initiatives: %s: owner %s: %w", in.title, e, err)
			}
		}
		for j, e := range in.supporters {
			acc, ok := ids[e]
			if !ok {
				continue
			}
			if _, err := tx.Exec(ctx, `INSERT INTO initiative_supporters (initiative_id, account_id, joined_at) VALUES ($1, $2, $3)`,
				id, acc, created.Add(time.Duration(j+1)*26*time.Hour)); err != nil {
				return fmt.Errorf("initiatives: %s: supporter: %w", in.title, err)
			}
		}
		// History: registered with the first status, then each later step.
		var from initiative.Status
		steps := append(slices.Clone(in.history), statusStep{in.status, ""})
		for j, h := range steps {
			var prev any
			if from != "" {
				prev = from
			}
			if from == h.status {
				continue
			}
			if _, err := tx.Exec(ctx, `
				INSERT INTO initiative_status_history (initiative_id, from_status, to_status, note, changed_by, changed_at)
				VALUES ($1, $2, $3, $4, $5, $6)`, id, prev, h.status, h.note, creator, created.Add(time.Duration(j)*72*time.Hour)); err != nil {
				return fmt.Errorf("initiatives: %s: history: %w", in.title, err)
			}
			from = h.status
		}
		for j, u := range in.updates {
			if _, err := tx.Exec(ctx, `INSERT INTO initiative_updates (initiative_id, author_id, body, created_at) VALUES ($1, $2, $3, $4)`,
				id, creator, u, d.Now.Add(-time.Duration(j+2)*24*time.Hour)); err != nil {
				return fmt.Errorf("initiatives: %s: update: %w", in.title, err)
			}
		}
		for _, f := range in.funding {
			requested := created.Add(5 * 24 * time.Hour)
			var decidedBy any
			var decidedAt any
			if f.status != initiative.Submitted {
				decidedBy, decidedAt = officer, requested.Add(4*24*time.Hour)
			}
			if _, err := tx.Exec(ctx, `
				INSERT INTO funding_requests (initiative_id, fund_id, amount_cents, purpose, budget, status, created_by, created_at,
				                              idempotency_key, decided_by, decided_at, reason, granted_cents)
				VALUES ($1, $12, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, CASE WHEN $5 = 'toegekend' THEN $2::bigint END)`,
				id, f.cents, f.purpose, f.budget, f.status, creator, requested, f.key, decidedBy, decidedAt, f.reason, fund); err != nil {
				return fmt.Errorf("initiatives: %s: funding: %w", in.title, err)
			}
		}
	}
	return nil
}

// demoBuurtbudget returns the municipality of Utrecht's buurtbudget, the
// fund the demo's funding requests go to, making it on the first run.
func demoBuurtbudget(ctx context.Context, tx pgx.Tx, d *Data) (int64, error) {
	if _, err := tx.Exec(ctx, `
		INSERT INTO funds (name, description, funder_municipality_id, scope_municipality_id, period_label, opens_on, closes_on,
		                   budget_cents, max_per_request_cents, min_supporters, own_contribution_pct, decision_mode, is_default)
		VALUES ('Buurtbudget Utrecht', 'Geld van de gemeente voor plannen van bewoners die de buurt sterker maken.',
		        $1, $1, $2, make_date($3, 1, 1), make_date($3, 12, 31), 5000000, 500000, 3, 10, 'funder', true)
		ON CONFLICT (scope_municipality_id) WHERE is_default DO NOTHING`,
		d.UtrechtID, fmt.Sprint(d.Now.Year()), d.Now.Year()); err != nil {
		return 0, fmt.Errorf("initiatives: buurtbudget: %w", err)
	}
	var id int64
	if err := tx.QueryRow(ctx, `SELECT id FROM funds WHERE scope_municipality_id = $1 AND is_default`, d.UtrechtID).Scan(&id); err != nil {
		return 0, fmt.Errorf("initiatives: buurtbudget: %w", err)
	}
	return id, nil
}
