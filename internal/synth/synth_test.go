package synth_test

import (
	"context"
	"errors"
	"io"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/buurtkracht/buurtkracht/internal/synth"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

func small(seed int64) synth.Options {
	return synth.Options{Seed: seed, Contacts: 3000, Activities: 300, Initiatives: 100, Signals: 100, Residents: 200,
		Years: 3, LargeWorkers: 20, ExtraNeighbourhoods: false}
}

// fingerprint summarises the generated rows without the clock-dependent parts.
func fingerprint(t *testing.T, db *pgxpool.Pool) string {
	t.Helper()
	var fp string
	if err := db.QueryRow(context.Background(), `
		SELECT md5(string_agg(concat_ws('|', n.code, c.strategy, c.people_count, c.themes, c.energy, c.concern, c.place_type,
		                      (c.occurred_at AT TIME ZONE 'Europe/Amsterdam')::date), ',' ORDER BY c.client_id))
		    || md5((SELECT string_agg(concat_ws('|', title, status, municipality_id), ',' ORDER BY idempotency_key) FROM initiatives))
		    || md5((SELECT string_agg(concat_ws('|', title, status, theme), ',' ORDER BY idempotency_key) FROM signals))
		  FROM contacts c JOIN neighbourhoods n ON n.id = c.neighbourhood_id`).Scan(&fp); err != nil {
		t.Fatal(err)
	}
	return fp
}

func TestGenerateIsReproducibleAndConsistent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	var fps []string
	for _, seed := range []int64{7, 7, 8} {
		db := testkit.NewPool(t)
		sum, err := synth.Generate(ctx, db, small(seed), io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Contacts != 3000 || sum.Activities != 300 || sum.Initiatives != 100 || sum.Signals != 100 {
			t.Fatalf("summary %+v", sum)
		}
		fps = append(fps, fingerprint(t, db))
		if seed != 7 {
			continue
		}
		// Utrecht is there with its 20 workers, and busier than its share.
		var utrechtWorkers, utrechtContacts int
		if err := db.QueryRow(ctx, `
			SELECT (SELECT count(*) FROM accounts WHERE email LIKE 'opbouwwerker-GM0344-%'),
			       (SELECT count(*) FROM contacts c JOIN neighbourhoods n ON n.id = c.neighbourhood_id
			         JOIN municipalities m ON m.id = n.municipality_id WHERE m.code = 'GM0344')`).Scan(&utrechtWorkers, &utrechtContacts); err != nil {
			t.Fatal(err)
		}
		if utrechtWorkers != 20 || utrechtContacts == 0 {
			t.Errorf("Utrecht: %d workers, %d contacts", utrechtWorkers, utrechtContacts)
		}
		// The aggregates, rebuilt at the end, match direct counts, and the triggers are back on.
		var aggContacts, aggPeople, direct, directPeople, weekend, weekday int64
		if err := db.QueryRow(ctx, `
			SELECT (SELECT sum(contacts) FROM neighbourhood_month_contacts), (SELECT sum(people) FROM neighbourhood_month_contacts),
			       (SELECT count(*) FROM contacts), (SELECT sum(people_count) FROM contacts),
			       (SELECT count(*) FROM contacts WHERE extract(isodow FROM occurred_at AT TIME ZONE 'Europe/Amsterdam') >= 6),
			       (SELECT count(*) FROM contacts WHERE extract(isodow FROM occurred_at AT TIME ZONE 'Europe/Amsterdam') < 6)`).
			Scan(&aggContacts, &aggPeople, &direct, &directPeople, &weekend, &weekday); err != nil {
			t.Fatal(err)
		}
		if aggContacts != direct || aggPeople != directPeople {
			t.Errorf("aggregate %d/%d, direct %d/%d", aggContacts, aggPeople, direct, directPeople)
		}
		// Weekday pattern: a weekend day has far fewer contacts than a weekday.
		if weekend*5/2 > weekday/2 {
			t.Errorf("weekend %d vs weekday %d contacts: no weekday pattern", weekend, weekday)
		}
		if _, err := db.Exec(ctx, `DELETE FROM contacts WHERE id IN (SELECT id FROM contacts LIMIT 10)`); err != nil {
			t.Fatal(err)
		}
		if err := db.QueryRow(ctx, `SELECT sum(contacts) FROM neighbourhood_month_contacts`).Scan(&aggContacts); err != nil || aggContacts != direct-10 {
			t.Errorf("after a delete the aggregate says %d (want %d): trigger not enabled again? %v", aggContacts, direct-10, err)
		}
		// A second run adds nothing.
		if _, err := synth.Generate(ctx, db, small(seed), io.Discard); !errors.Is(err, synth.ErrSeeded) {
			t.Errorf("second run: %v, want ErrSeeded", err)
		}
	}
	if fps[0] != fps[1] {
		t.Error("the same seed gave different data")
	}
	if fps[0] == fps[2] {
		t.Error("another seed gave the same data")
	}
}
