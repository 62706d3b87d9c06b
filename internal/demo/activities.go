package demo

import (
	"context"
	"fmt"

	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/strategy"
	"github.com/jackc/pgx/v5"
)

// Activities of the demo worker in Wijk West and the Binnenstad of Utrecht:
// a mix of the three strategies over the last months, some with a private
// note and a few with a story shared with the municipality. Made up.
func init() {
	register(step{name: "activities", run: seedActivities})
}

type demoActivity struct {
	key, title, neighbourhood string
	strategy                  strategy.Strategy
	daysAgo, participants     int
	partners                  []string
	outcome, note, story      string
}

var demoActivities = []demoActivity{
	{key: "maaltijd-1", title: "Buurtmaaltijd in De Kaderzaal", neighbourhood: "BU03440112", strategy: strategy.Bonding, daysAgo: 6, participants: 34,
		partners: []string{"Buurthuis De Kaderzaal"}, outcome: "Vier bewoners willen voortaan om de beurt koken.",
		note:  "Twee nieuwe gezichten uit de flat aan de Kaderstraat; vragen naar taalcafé.",
		story: "Bij de maaltijd zaten twee buren die elkaar nooit eerder spraken. Ze spraken af samen naar het taalcafé te gaan."},
	{key: "stoepkrijt", title: "Stoepkrijtmiddag op het schoolplein", neighbourhood: "BU03440111", strategy: strategy.Bonding, daysAgo: 12, participants: 41,
		outcome: "Ouders wisselden telefoonnummers uit voor een speelafspraak-groep."},
	{key: "bieb-spreekuur", title: "Digitaal spreekuur in de buurtbibliotheek", neighbourhood: "BU03440112", strategy: strategy.Bridging, daysAgo: 15, participants: 12,
		partners: []string{"Buurtbibliotheek De Leeshoek"}, outcome: "Acht bewoners kregen hulp met DigiD; de bibliotheek houdt het spreekuur maandelijks.",
		note: "Meneer met de rollator komt volgende keer terug voor zijn toeslag."},
	{key: "moestuin-open", title: "Open dag moestuinen", neighbourhood: "BU03440113", strategy: strategy.Bridging, daysAgo: 20, participants: 57,
		partners: []string{"Moestuinnetwerk West", "Fietsenmaker De Spaak"}, outcome: "Zes nieuwe leden voor het moestuinnetwerk."},
	{key: "wethouder", title: "Buurtgesprek met de wethouder over groen", neighbourhood: "BU03440121", strategy: strategy.Linking, daysAgo: 24, participants: 28,
		partners: []string{"Gemeente Utrecht, team Groen"}, outcome: "De gemeente zegt toe dat bewoners meebeslissen over de herinrichting van het plantsoen.",
		note:  "Spanning tussen twee bewonersgroepen over parkeerplaatsen; na afloop apart spreken.",
		story: "Bewoners met verschillende wensen voor het plantsoen zaten samen aan tafel met de wethouder. Ze maken nu samen één voorstel."},
	{key: "koffie-lombok", title: "Koffie op de stoep in Lombok", neighbourhood: "BU03440123", strategy: strategy.Bonding, daysAgo: 27, participants: 19,
		outcome: "Idee voor een straatfeest in september."},
	{key: "corporatie", title: "Schouw met de woningcorporatie", neighbourhood: "BU03440122", strategy: strategy.Linking, daysAgo: 33, participants: 9,
		partners: []string{"Woningcorporatie (demo)"}, outcome: "Lijst met vijf knelpunten in de portieken; de corporatie reageert binnen zes weken.",
		note: "Vocht in de benedenwoningen komt steeds terug."},
	{key: "taalcafe", title: "Start taalcafé", neighbourhood: "BU03440112", strategy: strategy.Bridging, daysAgo: 40, participants: 16,
		partners: []string{"Buurtbibliotheek De Leeshoek", "Vrijwilligerscentrale (demo)"}, outcome: "Elke donderdag taalcafé, drie vaste vrijwilligers."},
	{key: "straatfeest", title: "Voorbereiding straatfeest", neighbourhood: "BU03440121", strategy: strategy.Bonding, daysAgo: 46, participants: 11,
		outcome: "Werkgroep van zes bewoners; vergunning wordt aangevraagd."},
	{key: "binnenstad-ouderen", title: "Ontmoetingsochtend ouderen Nobelstraat", neighbourhood: "BU03440623", strategy: strategy.Bonding, daysAgo: 52, participants: 22,
		outcome: "Ouderen willen een wandelgroep beginnen.",
		note:    "Mevrouw op nummer 8 is erg eenzaam sinds haar man overleed; huisbezoek plannen.",
		story:   "Een oudere bewoonster vertelde hoe stil het thuis is geworden. Via de ochtend loopt ze nu mee met een wandelgroep."},
	{key: "ondernemers", title: "Ontbijt met ondernemers Breedstraat", neighbourhood: "BU03440622", strategy: strategy.Bridging, daysAgo: 60, participants: 14,
		partners: []string{"Ondernemersvereniging Binnenstad (demo)"}, outcome: "Twee winkels stellen hun etalage beschikbaar voor buurtnieuws."},
	{key: "buurtbudget", title: "Informatieavond buurtbudget", neighbourhood: "BU03440111", strategy: strategy.Linking, daysAgo: 68, participants: 31,
		partners: []string{"Gemeente Utrecht, wijkbureau West"}, outcome: "Drie groepen bewoners werken een aanvraag uit."},
	{key: "jongeren", title: "Pannakooi-toernooi", neighbourhood: "BU03440131", strategy: strategy.Bonding, daysAgo: 75, participants: 48,
		partners: []string{"Sportvereniging (demo)"}, outcome: "Jongeren willen het toernooi zelf organiseren in de zomer."},
	{key: "repair", title: "Repair café", neighbourhood: "BU03440113", strategy: strategy.Bridging, daysAgo: 82, participants: 26,
		partners: []string{"Fietsenmaker De Spaak"}, outcome: "Dertig spullen gerepareerd; twee bewoners willen vaste reparateur worden."},
	{key: "inspraak", title: "Inspraakavond verkeersplan Leidseweg", neighbourhood: "BU03440122", strategy: strategy.Linking, daysAgo: 95, participants: 63,
		partners: []string{"Gemeente Utrecht, team Verkeer"}, outcome: "Bewoners dienden samen één zienswijze in."},
}

func seedActivities(ctx context.Context, tx pgx.Tx, d *Data) error {
	worker, ok := d.Accounts[role.Worker]
	if !ok {
		return fmt.Errorf("activities: demo worker missing")
	}
	for _, a := range demoActivities {
		nb, err := d.Neighbourhood(a.neighbourhood)
		if err != nil {
			return err
		}
		at := d.Now.AddDate(0, 0, -a.daysAgo)
		partners := a.partners
		if partners == nil {
			partners = []string{}
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO activities (title, date, neighbourhood_id, worker_organised, strategy, participant_count, partners,
			                        outcome, note, note_written_at, story, story_shared_at, created_by, idempotency_key,
			                        created_at, updated_at)
			VALUES ($1, $2::timestamptz::date, $3, true, $4, $5, $6, $7, $8, CASE WHEN $8 <> '' THEN $2::timestamptz END,
			        $9, CASE WHEN $9 <> '' THEN $2::timestamptz + interval '2 days' END, $10, md5('demo-activity-' || $11)::uuid, $2, $2)
			ON CONFLICT ON CONSTRAINT activities_idempotency_key DO NOTHING`,
			a.title, at, nb, a.strategy, a.participants, partners, a.outcome, a.note, a.story, worker, a.key); err != nil {
			return fmt.Errorf("activities: %s: %w", a.title, err)
		}
	}
	return nil
}
