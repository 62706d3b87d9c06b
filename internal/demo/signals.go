package demo

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/signal"
	"github.com/jackc/pgx/v5"
)

// Signals raised in Utrecht by the demo resident and worker, in every
// status, with responses of the worker and the municipality. Made up.
func init() {
	register(step{name: "signals", run: seedSignals})
}

type demoResponse struct {
	by       role.Role // role.Worker or role.Officer
	hoursIn  int       // hours after the signal was raised
	body     string
	from, to signal.Status // status change, "" for none
}

type demoSignal struct {
	key, neighbourhood, title, description, theme, addressedTo, other string
	raisedBy                                                          role.Role // account role of the raiser
	public                                                            bool
	daysAgo                                                           int
	responses                                                         []demoResponse
}

var demoSignals = []demoSignal{
	{key: "weggeefwinkel", neighbourhood: "BU03440112", title: "De weggeefwinkel verliest zijn ruimte",
		description: "Het pand van de weggeefwinkel wordt in de zomer verkocht. Zonder nieuwe plek stopt de winkel, terwijl er elke week zo'n zestig buurtbewoners komen.",
		theme:       "bestaanszekerheid", addressedTo: "gemeente", raisedBy: role.Resident, public: true, daysAgo: 40,
		responses: []demoResponse{
			{by: role.Worker, hoursIn: 20, body: "Ik breng dit in bij het wijkoverleg van volgende week.", from: signal.Raised, to: signal.OnAgenda},
			{by: role.Officer, hoursIn: 200, body: "Het wijkbureau zoekt met de corporatie naar leegstaande ruimtes.", from: signal.OnAgenda, to: signal.InProgress},
			{by: role.Officer, hoursIn: 600, body: "De winkel kan per 1 juli in de oude bibliotheekvestiging terecht.", from: signal.InProgress, to: signal.TakenUp},
		}},
	{key: "gordijnen", neighbourhood: "BU03440111", title: "Gordijnen overdag dicht bij oudere bewoners",
		description: "In de seniorenflat zie ik bij steeds meer woningen de gordijnen overdag dicht. Mogelijk vereenzaming.",
		theme:       "zorg", addressedTo: "gemeente", raisedBy: role.Worker, daysAgo: 21,
		responses: []demoResponse{
			{by: role.Officer, hoursIn: 30, body: "Dank. We vragen het buurtteam om samen met u langs te gaan.", from: signal.Raised, to: signal.InProgress},
		}},
	{key: "portiek", neighbourhood: "BU03440122", title: "Vocht en schimmel in portiekwoningen",
		description: "Meerdere huurders melden al maanden vocht in de benedenwoningen.",
		theme:       "wonen", addressedTo: "woningcorporatie", other: "Woningcorporatie (demo)", raisedBy: role.Worker, public: true, daysAgo: 33,
		responses: []demoResponse{
			{by: role.Worker, hoursIn: 2, body: "Besproken tijdens de schouw; de corporatie komt met een plan.", from: signal.Raised, to: signal.OnAgenda},
			{by: role.Officer, hoursIn: 120, body: "De gemeente volgt dit mee via de prestatieafspraken."},
		}},
	{key: "speeltuin", neighbourhood: "BU03440113", title: "Speeltuin Halve Maan is kapot",
		description: "De glijbaan is al weken afgezet met linten. Kinderen spelen nu op straat.",
		theme:       "openbare-ruimte", addressedTo: "gemeente", raisedBy: role.Resident, public: true, daysAgo: 14,
		responses: []demoResponse{
			{by: role.Officer, hoursIn: 50, body: "De glijbaan wordt vervangen; de aannemer is besteld.", from: signal.Raised, to: signal.InProgress},
		}},
	{key: "oversteek", neighbourhood: "BU03440121", title: "Gevaarlijke oversteek bij de basisschool",
		description: "Auto's rijden hard over de Kanaalstraat waar kinderen oversteken.",
		theme:       "veiligheid", addressedTo: "gemeente", raisedBy: role.Resident, public: true, daysAgo: 9},
	{key: "buurthuis-uren", neighbourhood: "BU03440623", title: "Buurthuis 's avonds dicht",
		description: "Jongeren hebben 's avonds geen plek; het buurthuis sluit om vijf uur.",
		theme:       "onderwijs-jeugd", addressedTo: "anders", other: "Welzijnsorganisatie (demo)", raisedBy: role.Worker, daysAgo: 26,
		responses: []demoResponse{
			{by: role.Officer, hoursIn: 70, body: "Er is dit jaar geen budget voor ruimere openingstijden.", from: signal.Raised, to: signal.NotTakenUp},
		}},
	{key: "energie", neighbourhood: "BU03440131", title: "Hoge energierekening bij huurders",
		description: "Bij het koffie-uur vertellen bewoners dat ze hun energierekening niet meer kunnen betalen.",
		theme:       "duurzaamheid", addressedTo: "gemeente", raisedBy: role.Worker, public: true, daysAgo: 4,
		responses: []demoResponse{
			{by: role.Worker, hoursIn: 1, body: "Geagendeerd voor het overleg met de energiecoöperatie.", from: signal.Raised, to: signal.OnAgenda},
		}},
	{key: "bankje", neighbourhood: "BU03440112", title: "Geen bankjes langs de Kromme Rijn",
		description: "Oudere bewoners kunnen de wandeling niet maken zonder rustpunt.",
		theme:       "gezondheid", addressedTo: "gemeente", raisedBy: role.Resident, daysAgo: 2},
}

func seedSignals(ctx context.Context, tx pgx.Tx, d *Data) error {
	for _, s := range demoSignals {
		nb, err := d.Neighbourhood(s.neighbourhood)
		if err != nil {
			return err
		}
		raiser, ok := d.Accounts[s.raisedBy]
		if !ok {
			return fmt.Errorf("signals: demo %s missing", s.raisedBy)
		}
		raised := d.Now.Add(-time.Duration(s.daysAgo) * 24 * time.Hour)
		status := signal.Raised
		var first, updated *time.Time
		for _, r := range s.responses {
			at := raised.Add(time.Duration(r.hoursIn) * time.Hour)
			if first == nil {
				first = &at
			}
			updated = &at
			if r.to != "" {
				status = r.to
			}
		}
		if updated == nil {
			updated = &raised
		}
		var id int64
		err = tx.QueryRow(ctx, `
			INSERT INTO signals (neighbourhood_id, title, description, theme, addressed_to, addressed_to_other, raised_by,
			                     raised_as, is_public, status, idempotency_key, created_at, updated_at, first_response_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, md5('demo-signal-' || $11)::uuid, $12, $13, $14)
			ON CONFLICT ON CONSTRAINT signals_idempotency_key DO NOTHING
			RETURNING id`,
			nb, s.title, s.description, s.theme, s.addressedTo, s.other, raiser, s.raisedBy, s.public, status,
			s.key, raised, *updated, first).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			continue // loaded on an earlier run
		}
		if err != nil {
			return fmt.Errorf("signals: %s: %w", s.title, err)
		}
		for i, r := range s.responses {
			author, ok := d.Accounts[r.by]
			if !ok {
				return fmt.Errorf("signals: demo %s missing", r.by)
			}
			var from, to *signal.Status
			if r.to != "" {
				from, to = &r.from, &r.to
			}
			if _, err := tx.Exec(ctx, `
				INSERT INTO signal_responses (signal_id, author_id, author_role, body, status_from, status_to, idempotency_key, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, md5('demo-signal-response-' || $7 || '-' || $8)::uuid, $9)`,
				id, author, r.by, r.body, from, to, s.key, strconv.Itoa(i), raised.Add(time.Duration(r.hoursIn)*time.Hour)); err != nil {
				return fmt.Errorf("signals: response to %s: %w", s.title, err)
			}
		}
	}
	return nil
}
