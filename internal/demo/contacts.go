package demo

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/strategy"
	"github.com/jackc/pgx/v5"
)

// Street contacts of the demo worker: 60 short conversations over the last
// four months in their work areas, a mix of places, strategies and themes,
// some with a private note, a few with a story shared with the
// municipality. Made up; no resident names.
func init() {
	register(step{name: "contacts", run: seedContacts})
}

type demoContactText struct {
	energy, concern, note, story string
}

// demoContactTexts are cycled through; an empty field stays empty.
var demoContactTexts = []demoContactText{
	{energy: "Wil een buurtmoestuin beginnen op het braakliggende veldje.", note: "Vaker aanspreken op het schoolplein; heeft tuinervaring."},
	{concern: "Jongeren hangen 's avonds bij het winkelcentrum, ouderen voelen zich onveilig."},
	{energy: "Zoekt mensen om samen te koken in het buurthuis."},
	{concern: "De energierekening is niet meer te betalen.", note: "Doorverwezen naar de energiecoach; volgende week nabellen.",
		story: "Een gezin met jonge kinderen durfde de verwarming niet meer aan te zetten. Na een gesprek op straat kwam er binnen een week een energiecoach langs."},
	{energy: "Ouders willen een speelstraat op woensdagmiddag."},
	{concern: "Sinds de bank weg is, weten ouderen niet waar ze met hun post terecht kunnen."},
	{energy: "Twee buren willen een weggeefkast bij de flat neerzetten.", note: "Toestemming corporatie nodig; contactpersoon navragen."},
	{},
	{concern: "Vocht in de benedenwoningen komt steeds terug.", note: "Zelfde klacht als vorige maand; signaal afgeven bij corporatie."},
	{energy: "Wil taalmaatje worden voor nieuwe buren.",
		story: "Een bewoonster die zelf Nederlands leerde in het taalcafé, wil nu anderen helpen. Ze is gekoppeld aan het taalcafé in de bibliotheek."},
	{concern: "Er is geen plek meer om elkaar 's winters te ontmoeten."},
	{energy: "Jongeren willen zelf een voetbaltoernooi organiseren.", note: "Koppelen aan sportvereniging; trainer kent ze al."},
}

var (
	demoPlaces     = []string{"straat", "schoolplein", "buurthuis", "winkel_markt", "speelplek", "huisbezoek", "popup", "buurtbus", "straat", "online", "schoolplein", "anders"}
	demoStrategies = []strategy.Strategy{strategy.Bonding, strategy.Bonding, strategy.Bridging, strategy.Bonding, strategy.Linking, strategy.Bridging, strategy.Bonding}
	demoThemes     = [][]string{{"ontmoeting"}, {"veiligheid", "onderwijs-jeugd"}, {"ontmoeting", "elkaar-helpen"}, {"bestaanszekerheid", "duurzaamheid"},
		{"openbare-ruimte", "onderwijs-jeugd"}, {"informatie-advies"}, {"elkaar-helpen", "duurzaamheid"}, {}, {"wonen"}, {"inclusie", "ontmoeting"},
		{"ontmoeting"}, {"sport", "onderwijs-jeugd"}}
	demoFollowUps = []string{"geen", "geen", "geen", "doorverwijzing", "geen", "signaal", "initiatief", "geen", "signaal", "geen", "geen", "initiatief"}
)

const demoContactCount = 60

func seedContacts(ctx context.Context, tx pgx.Tx, d *Data) error {
	worker, ok := d.Accounts[role.Worker]
	if !ok {
		return fmt.Errorf("contacts: demo worker missing")
	}
	if len(d.WorkAreas) == 0 {
		return fmt.Errorf("contacts: demo worker has no work areas")
	}
	today := time.Date(d.Now.Year(), d.Now.Month(), d.Now.Day(), 0, 0, 0, 0, d.Now.Location())
	for i := 0; i < demoContactCount; i++ {
		txt := demoContactTexts[i%len(demoContactTexts)]
		// Spread over ~120 days, between 9:00 and 19:00, newest first.
		at := today.AddDate(0, 0, -(i*2 + i%3)).Add(time.Duration(9*60+(i*97)%600) * time.Minute)
		if at.After(d.Now) {
			at = d.Now.Add(-time.Duration(i+1) * time.Hour)
		}
		follow := demoFollowUps[i%len(demoFollowUps)]
		referral := ""
		if follow == "doorverwijzing" {
			referral = "Energiecoach van de gemeente"
		}
		if follow == "initiatief" {
			follow = "geen" // the demo initiatives are not linked from here
		}
		// The stories are shared only on the first pass through the texts.
		story := ""
		if i < len(demoContactTexts) {
			story = txt.story
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO contacts (worker_id, occurred_at, neighbourhood_id, place_type, people_count, themes, strategy, energy, concern,
			                      note, follow_up, referral, story, story_shared_at, client_id, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULLIF($10, ''), $11, $12, NULLIF($13, ''),
			        CASE WHEN $13 <> '' THEN $2::timestamptz + interval '1 day' END, md5('demo-contact-' || $14::text)::uuid, $2, $2)
			ON CONFLICT ON CONSTRAINT contacts_client_id_key DO NOTHING`,
			worker, at, d.WorkAreas[(i*7)%len(d.WorkAreas)], demoPlaces[i%len(demoPlaces)], 1+(i*5)%9, demoThemes[i%len(demoThemes)],
			demoStrategies[i%len(demoStrategies)], txt.energy, txt.concern, txt.note, follow, referral, story, strconv.Itoa(i)); err != nil {
			return fmt.Errorf("contacts: demo contact %d: %w", i, err)
		}
	}
	return nil
}
