package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/buurtkracht/buurtkracht/web/dutch"
)

// The agenda of the demo: upcoming events in the resident's Oog in Al and
// elsewhere in Utrecht, one full with a waiting list, one members-only,
// one for an initiative and one that is over (for "Activiteit vastleggen").
// The file name puts this step after the assets and initiatives it uses
// (steps run in the order of their files' init functions).
func init() {
	register(step{name: "events", run: seedEvents})
}

type demoEvent struct {
	key, title, description, theme string
	days, hour, minute, hours      int // start: days from today at hour:minute, Dutch time
	neighbourhoods                 []string
	place, asset                   string // free text; the name of a demo meeting place
	members                        bool
	capacity                       int
	organiser                      string // e-mail; for an initiative: one of its owners
	initiative                     string // title of a demo initiative
	signUps                        []string
}

var demoEvents = []demoEvent{
	{key: "6576656e-0000-4000-8000-000000000001", title: "Buurtsoep in De Kaderzaal", theme: "ontmoeting",
		description: "Samen soep koken met groente uit de moestuinen, en daarna samen eten. Iedereen is welkom, ook als je niet meekookt.",
		days:        2, hour: 17, minute: 30, hours: 3, neighbourhoods: []string{homeCode}, asset: "Buurthuis De Kaderzaal", place: "grote zaal",
		capacity: 30, organiser: WorkerEmail, signUps: []string{ResidentEmail, "fatima@demo.buurtkracht.nl"}},
	{key: "6576656e-0000-4000-8000-000000000002", title: "Kookworkshop voor beginners", theme: "gezondheid",
		description: "Fatima leert je drie gerechten voor weinig geld. Er zijn maar twee plaatsen aan het fornuis.",
		days:        4, hour: 14, minute: 0, hours: 2, neighbourhoods: []string{homeCode}, asset: "Buurthuis De Kaderzaal",
		capacity: 2, organiser: WorkerEmail, signUps: []string{"fatima@demo.buurtkracht.nl", "henk@demo.buurtkracht.nl", ResidentEmail}},
	{key: "6576656e-0000-4000-8000-000000000003", title: "Zaaidag in de moestuin", theme: "openbare-ruimte",
		description: "We zaaien de wintergroente in. Handschoenen zijn er; neem een schepje mee als je dat hebt.",
		days:        6, hour: 10, minute: 0, hours: 3, neighbourhoods: []string{homeCode}, place: "Moestuin achter de Kaderstraat (voorbeeld)",
		organiser: ResidentEmail, initiative: "Moestuin Oog in Al", signUps: []string{"henk@demo.buurtkracht.nl"}},
	{key: "6576656e-0000-4000-8000-000000000004", title: "Overleg moestuingroep", theme: "democratie",
		description: "Wie doet wat in het voorjaar? Alleen voor leden van het platform.",
		days:        9, hour: 19, minute: 30, hours: 1, neighbourhoods: []string{homeCode}, asset: "Buurtbibliotheek De Leeshoek",
		members: true, organiser: ResidentEmail, initiative: "Moestuin Oog in Al"},
	{key: "6576656e-0000-4000-8000-000000000005", title: "Wandeling langs de Singel", theme: "sport",
		description: "Een rustige wandeling van een uur met koffie na afloop. Verzamelen bij de Nobelstraat.",
		days:        3, hour: 10, minute: 30, hours: 2, neighbourhoods: []string{"BU03440623"}, place: "Hoek Nobelstraat (voorbeeld)",
		organiser: WorkerEmail},
	{key: "6576656e-0000-4000-8000-000000000006", title: "Buurtquiz", theme: "ontmoeting",
		description: "Twintig vragen over de buurt, met een prijs voor de winnaars.",
		days:        -5, hour: 20, minute: 0, hours: 2, neighbourhoods: []string{homeCode, "BU03440111"}, asset: "Buurtcafé De Stoep",
		capacity: 40, organiser: WorkerEmail, signUps: []string{ResidentEmail, "fatima@demo.buurtkracht.nl", "henk@demo.buurtkracht.nl"}},
}

func seedEvents(ctx context.Context, tx pgx.Tx, d *Data) error {
	people, err := codeMap(ctx, tx, `SELECT email::text, id FROM accounts WHERE email LIKE '%@demo.buurtkracht.nl'`)
	if err != nil {
		return fmt.Errorf("events: accounts: %w", err)
	}
	places, err := codeMap(ctx, tx, `SELECT name, id FROM assets WHERE kind = 'plek' AND create_token LIKE 'demo-seed-%'`)
	if err != nil {
		return fmt.Errorf("events: places: %w", err)
	}
	initiatives, err := codeMap(ctx, tx, `SELECT title, min(id) FROM initiatives GROUP BY title`)
	if err != nil {
		return fmt.Errorf("events: initiatives: %w", err)
	}
	today := d.Now.In(dutch.Amsterdam)
	for _, e := range demoEvents {
		start := time.Date(today.Year(), today.Month(), today.Day()+e.days, e.hour, e.minute, 0, 0, dutch.Amsterdam)
		organiser, ok := people[e.organiser]
		if !ok {
			return fmt.Errorf("events: organiser %s missing", e.organiser)
		}
		var asset, initiative *int64
		if id, ok := places[e.asset]; ok {
			asset = &id
		}
		if id, ok := initiatives[e.initiative]; ok {
			initiative = &id
		}
		vis := "public"
		if e.members {
			vis = "members"
		}
		var capacity *int
		if e.capacity > 0 {
			capacity = &e.capacity
		}
		var id int64
		err := tx.QueryRow(ctx, `
			INSERT INTO events (title, description, theme, starts_at, ends_at, place_text, asset_id, visibility, capacity,
			                    initiative_id, created_by, idempotency_key, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)
			ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
			e.title, e.description, e.theme, start, start.Add(time.Duration(e.hours)*time.Hour), e.place, asset, vis, capacity,
			initiative, organiser, e.key, d.Now.Add(-14*24*time.Hour)).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			continue // seeded before
		}
		if err != nil {
			return fmt.Errorf("events: %s: %w", e.title, err)
		}
		for _, code := range e.neighbourhoods {
			nb, err := d.Neighbourhood(code)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO event_neighbourhoods (event_id, neighbourhood_id) VALUES ($1, $2)`, id, nb); err != nil {
				return fmt.Errorf("events: %s: neighbourhood: %w", e.title, err)
			}
		}
		for i, who := range e.signUps {
			waiting := e.capacity > 0 && i >= e.capacity
			at := d.Now.Add(time.Duration(i-len(e.signUps)) * time.Hour)
			if _, err := tx.Exec(ctx, `INSERT INTO event_signups (event_id, account_id, waiting, created_at) VALUES ($1, $2, $3, $4)`,
				id, people[who], waiting, at); err != nil {
				return fmt.Errorf("events: %s: sign-up: %w", e.title, err)
			}
		}
	}
	return nil
}
