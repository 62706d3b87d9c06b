package synth

import (
	"fmt"
	"strings"
)

// SQL arrays of the Dutch texts the generator draws from.
func textArray(xs ...string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = "'" + strings.ReplaceAll(x, "'", "''") + "'"
	}
	return "ARRAY[" + strings.Join(q, ", ") + "]"
}

var (
	themes     = textArray("ontmoeting", "elkaar-helpen", "openbare-ruimte", "wonen", "veiligheid", "zorg", "bestaanszekerheid", "duurzaamheid", "onderwijs-jeugd", "gezondheid", "sport", "kunst-cultuur", "informatie-advies", "democratie", "inclusie")
	places     = textArray("straat", "schoolplein", "buurthuis", "winkel_markt", "speelplek", "huisbezoek", "popup", "buurtbus", "online", "anders")
	energies   = textArray("wil een moestuin beginnen", "zoekt mensen voor een buurtmaaltijd", "wil de speeltuin opknappen", "wil jongeren helpen met huiswerk", "heeft een idee voor een repair café", "wil een wandelgroep")
	concerns   = textArray("zorgen over de huur", "voelt zich alleen", "onveilig bij het winkelcentrum", "zorgen over de energierekening", "te weinig plek voor de kinderen", "rommel op straat")
	stories    = textArray("Bij de pop-up koffie raakten twee buren aan de praat; ze spreken nu elke week af.", "Een moeder vertelde dat ze via het schoolplein hulp vond bij haar formulieren.", "Op het bankje voor de flat groeide het plan voor een gezamenlijke moestuin.", "De jongeren van het veldje willen zelf een toernooi organiseren; we zoeken samen een sponsor.", "Een oudere bewoner die nooit buiten kwam, helpt nu bij de buurtmaaltijd.", "Na drie gesprekken aan de deur kwamen er vijftien mensen naar de bewonersavond.")
	actTitles  = textArray("Buurtmaaltijd", "Koffie op het plein", "Bewonersavond", "Straatfeest", "Repair café", "Wandeling door de wijk", "Huiswerkklas", "Opschoondag")
	initTitles = textArray("Moestuin", "Repair café", "Buurtkamer", "Broodfonds", "Energiecoöperatie", "Weggeefwinkel", "Zwerfafvalgroep", "Buurtmaaltijd", "Speeltuin", "Taalcafé")
	initPlaces = textArray("aan de Dorpsstraat", "bij het buurthuis", "in de Bloemenbuurt", "op het Marktplein", "bij de school", "in het park")
	forms      = textArray("informal", "vereniging", "stichting", "cooperatie", "bewonersbedrijf", "broodfonds", "anders")
	sigTitles  = textArray("Gordijnen overdag dicht", "Weggeefwinkel verliest haar ruimte", "Donkere plek bij de onderdoorgang", "Speeltuin al maanden kapot", "Veel vragen over de energietoeslag", "Eenzaamheid onder ouderen in de flat")
)

// pick is a skewed index into a SQL array of n items (the first items most often).
func pick(arr string, n int, g string, salt int) string {
	return fmt.Sprintf("(%s)[1 + floor(power((pg_temp.h(%s, %d) %% 1000) / 1000.0, 1.6) * %d)::int]", arr, g, salt, n)
}

func uniform(arr string, n int, g string, salt int) string {
	return fmt.Sprintf("(%s)[1 + (pg_temp.h(%s, %d) %% %d)::int]", arr, g, salt, n)
}

// when is a moment in the last `days` days: fewer at weekends, in the
// summer holidays and around Christmas, between 9:00 and 20:00.
func when(g string, salt int, days int) string {
	return fmt.Sprintf(`LEAST(now(), CASE
		WHEN extract(month FROM d0) IN (7, 8) AND pg_temp.h(%[1]s, %[2]d) %% 10 < 4 THEN d0 - interval '2 months'
		WHEN extract(month FROM d0) = 12 AND extract(day FROM d0) > 20 AND pg_temp.h(%[1]s, %[2]d) %% 10 < 5 THEN d0 - interval '10 days'
		WHEN extract(isodow FROM d0) = 6 AND pg_temp.h(%[1]s, %[2]d + 1) %% 10 < 7 THEN d0 - interval '1 day'
		WHEN extract(isodow FROM d0) = 7 AND pg_temp.h(%[1]s, %[2]d + 1) %% 10 < 7 THEN d0 - interval '2 days'
		ELSE d0 END)
	  FROM (SELECT (date_trunc('day', now() AT TIME ZONE 'Europe/Amsterdam')
	                - make_interval(days => (pg_temp.h(%[1]s, %[2]d + 2) %% %[3]d)::int)
	                + make_interval(hours => 9 + (pg_temp.h(%[1]s, %[2]d + 3) %% 11)::int, mins => (pg_temp.h(%[1]s, %[2]d + 4) %% 60)::int))
	               AT TIME ZONE 'Europe/Amsterdam' AS d0) d`, g, salt, days)
}

// worker picks a synthetic worker weighted by how busy they are, and one
// of their work areas (their first areas far more often).
func worker(g string, salt int) string {
	return fmt.Sprintf(`CROSS JOIN LATERAL (
		SELECT account_id, areas[1 + floor(power((pg_temp.h(%[1]s, %[2]d + 1) %% 1000) / 1000.0, 2) * cardinality(areas))::int] AS nb
		  FROM syn_workers WHERE hi > pg_temp.h(%[1]s, %[2]d) %% {{W}} ORDER BY hi LIMIT 1) w`, g, salt)
}

const workerLike = `'opbouwwerker-%@` + Domain + `'`
const residentLike = `'bewoner-%@` + Domain + `'`

func steps(o Options, hash string) []step {
	days := o.Years * 365
	seed := fmt.Sprint(o.Seed)
	var out []step
	out = append(out, step{name: "organisatie", sql: `
		INSERT INTO organisations (name, kind) VALUES ('Synthetisch welzijn', 'welzijn') ON CONFLICT (name) DO NOTHING`})
	if o.ExtraNeighbourhoods {
		out = append(out,
			step{name: "wijken (synthetisch)", sql: `
				INSERT INTO districts (code, municipality_id, name)
				SELECT 'WK' || substr(m.code, 3) || lpad(d::text, 2, '0'), m.id, 'Wijk ' || lpad(d::text, 2, '0') || ' (synthetisch)'
				  FROM municipalities m
				 CROSS JOIN LATERAL generate_series(1, 4 + (pg_temp.h(m.id, 1) % 8)::int) d
				 WHERE NOT EXISTS (SELECT 1 FROM neighbourhoods n WHERE n.municipality_id = m.id)
				ON CONFLICT (code) DO NOTHING`},
			step{name: "buurten (synthetisch)", sql: `
				INSERT INTO neighbourhoods (code, district_id, municipality_id, name, population)
				SELECT 'BU' || substr(d.code, 3) || lpad(b::text, 2, '0'), d.id, d.municipality_id,
				       'Buurt ' || lpad(b::text, 2, '0') || ' van ' || regexp_replace(d.name, ' \(synthetisch\)$', ''),
				       (300 + pg_temp.h(d.id * 100 + b, 3) % 4500)::int
				  FROM districts d
				 CROSS JOIN LATERAL generate_series(1, 2 + (pg_temp.h(d.id, 2) % 8)::int) b
				 WHERE NOT EXISTS (SELECT 1 FROM neighbourhoods n WHERE n.municipality_id = d.municipality_id)
				ON CONFLICT (code) DO NOTHING`})
	}
	out = append(out,
		step{name: "gemeente- en beheeraccount", sql: `
			INSERT INTO accounts (email, display_name, password_hash, roles, municipality_id, email_confirmed_at)
			VALUES ($1, 'Gemeente Utrecht (synthetisch)', $3, '{resident,officer}', (SELECT id FROM municipalities WHERE code = $4), now()),
			       ($2, 'Beheerder (synthetisch)', $3, '{resident,admin}', NULL, now())`,
			args: []any{OfficerEmail, AdminEmail, hash, LargeCode}},
		step{name: "opbouwwerkers", sql: `
			INSERT INTO accounts (email, display_name, password_hash, roles, organisation_id, email_confirmed_at)
			SELECT 'opbouwwerker-' || m.code || '-' || w || '@` + Domain + `', left('Opbouwwerker ' || w || ' ' || m.name, 100), $1,
			       '{resident,worker}', (SELECT id FROM organisations WHERE name = 'Synthetisch welzijn'), now()
			  FROM municipalities m
			 CROSS JOIN LATERAL generate_series(1, CASE WHEN m.code = $3 THEN $2 ELSE 2 + (pg_temp.h(m.id, 4) % 12)::int END) w
			 WHERE EXISTS (SELECT 1 FROM neighbourhoods n WHERE n.municipality_id = m.id)`,
			args: []any{hash, o.LargeWorkers, LargeCode}, count: func(s *Summary) *int64 { return &s.Workers }},
		step{name: "werkgebieden", sql: `
			INSERT INTO account_work_areas (account_id, neighbourhood_id)
			SELECT a.id, x.id FROM accounts a
			 CROSS JOIN LATERAL (
			       SELECT n.id FROM neighbourhoods n JOIN municipalities m ON m.id = n.municipality_id
			        WHERE m.code = split_part(a.email, '-', 2)
			        ORDER BY pg_temp.h(n.id * 100003 + a.id, 5) LIMIT 3 + pg_temp.h(a.id, 6) % 6) x
			 WHERE a.email LIKE ` + workerLike},
		// Busy and quiet workers: weight 1 to 82; lo/hi make a weighted pick one index probe.
		step{name: "hulptabel opbouwwerkers", sql: `
			CREATE TEMP TABLE syn_workers ON COMMIT DROP AS
			SELECT account_id, areas, sum(weight) OVER (ORDER BY account_id) AS hi
			  FROM (SELECT a.id AS account_id, 1 + (pg_temp.h(a.id, 7) % 10) * (pg_temp.h(a.id, 7) % 10) AS weight,
			               array_agg(wa.neighbourhood_id ORDER BY pg_temp.h(wa.neighbourhood_id * 100003 + a.id, 5)) AS areas
			          FROM accounts a JOIN account_work_areas wa ON wa.account_id = a.id
			         WHERE a.email LIKE ` + workerLike + ` GROUP BY a.id) x`},
		step{name: "index hulptabel", sql: `CREATE INDEX ON syn_workers (hi)`},
		step{name: "bewoners", sql: `
			INSERT INTO accounts (email, display_name, password_hash, roles, email_confirmed_at)
			SELECT 'bewoner-' || g || '@` + Domain + `', 'Bewoner ' || g, $1, '{resident}', now() FROM generate_series(1, $2) g`,
			args: []any{hash, o.Residents}, count: func(s *Summary) *int64 { return &s.Residents }},
		step{name: "hulptabel bewoners", sql: `
			CREATE TEMP TABLE syn_residents ON COMMIT DROP AS
			SELECT row_number() OVER (ORDER BY id) - 1 AS idx, id FROM accounts WHERE email LIKE ` + residentLike},
		step{name: "index bewoners", sql: `CREATE UNIQUE INDEX ON syn_residents (idx)`},
		step{name: "straatcontacten", count: func(s *Summary) *int64 { return &s.Contacts }, args: []any{o.Contacts}, sql: `
			INSERT INTO contacts (worker_id, occurred_at, neighbourhood_id, place_type, people_count, themes, strategy,
			                      energy, concern, story, story_shared_at, client_id, created_at, updated_at)
			SELECT w.account_id, t.ts, w.nb, ` + uniform(places, 10, "g", 12) + `,
			       CASE WHEN pg_temp.h(g, 13) % 10 < 6 THEN 1 WHEN pg_temp.h(g, 13) % 10 < 8 THEN 2 ELSE 3 + (pg_temp.h(g, 14) % 8)::int END,
			       ARRAY[` + pick(themes, 15, "g", 20) + `]
			         || CASE WHEN pg_temp.h(g, 21) % 3 = 0 AND ` + pick(themes, 15, "g", 20) + ` <> ` + uniform(themes, 15, "g", 22) + `
			                 THEN ARRAY[` + uniform(themes, 15, "g", 22) + `] ELSE '{}'::text[] END,
			       CASE WHEN pg_temp.h(g, 23) % 100 < 55 THEN 'bonding' WHEN pg_temp.h(g, 23) % 100 < 85 THEN 'bridging' ELSE 'linking' END,
			       CASE WHEN pg_temp.h(g, 24) % 10 < 4 THEN ` + uniform(energies, 6, "g", 25) + ` ELSE '' END,
			       CASE WHEN pg_temp.h(g, 26) % 10 < 3 THEN ` + uniform(concerns, 6, "g", 27) + ` ELSE '' END,
			       CASE WHEN pg_temp.h(g, 28) % 50 = 0 THEN ` + uniform(stories, 6, "g", 29) + ` END,
			       CASE WHEN pg_temp.h(g, 28) % 50 = 0 THEN LEAST(now(), t.ts + interval '1 day') END,
			       md5('` + seed + `-c-' || g)::uuid, t.ts, t.ts
			  FROM generate_series(1, $1) g
			 ` + worker("g", 10) + `
			 CROSS JOIN LATERAL (SELECT ` + when("g", 30, days) + `) t(ts)`},
		step{name: "activiteiten", count: func(s *Summary) *int64 { return &s.Activities }, args: []any{o.Activities}, sql: `
			INSERT INTO activities (title, date, neighbourhood_id, worker_organised, strategy, participant_count, partners, outcome,
			                        story, story_shared_at, created_by, idempotency_key, created_at, updated_at)
			SELECT ` + pick(actTitles, 8, "g", 40) + `, (t.ts AT TIME ZONE 'Europe/Amsterdam')::date, w.nb, true,
			       CASE WHEN pg_temp.h(g, 41) % 100 < 40 THEN 'bonding' WHEN pg_temp.h(g, 41) % 100 < 75 THEN 'bridging' ELSE 'linking' END,
			       (3 + power(pg_temp.h(g, 42) % 100, 2) / 100)::int,
			       CASE WHEN pg_temp.h(g, 43) % 3 = 0 THEN ARRAY['Bibliotheek', 'Woningcorporatie'] ELSE '{}'::text[] END, '',
			       CASE WHEN pg_temp.h(g, 44) % 20 = 0 THEN ` + uniform(stories, 6, "g", 45) + ` ELSE '' END,
			       CASE WHEN pg_temp.h(g, 44) % 20 = 0 THEN LEAST(now(), t.ts + interval '2 days') END,
			       w.account_id, md5('` + seed + `-a-' || g)::uuid, t.ts, t.ts
			  FROM generate_series(1, $1) g
			 ` + worker("g", 46) + `
			 CROSS JOIN LATERAL (SELECT ` + when("g", 50, days) + `) t(ts)`},
		step{name: "hulptabel initiatieven", args: []any{o.Initiatives, o.Residents}, sql: `
			CREATE TEMP TABLE syn_init ON COMMIT DROP AS
			SELECT g, w.nb, (SELECT areas[2] FROM syn_workers sw WHERE sw.account_id = w.account_id) AS nb2,
			       r.id AS owner, t.ts, md5('` + seed + `-i-' || g)::uuid AS key
			  FROM generate_series(1, $1) g
			 ` + worker("g", 60) + `
			  JOIN syn_residents r ON r.idx = pg_temp.h(g, 62) % $2
			 CROSS JOIN LATERAL (SELECT ` + when("g", 70, days) + `) t(ts)`},
		step{name: "initiatieven", count: func(s *Summary) *int64 { return &s.Initiatives }, sql: `
			INSERT INTO initiatives (title, summary, description, municipality_id, themes, form, status, contact_preference,
			                         visibility, hidden_at, hidden_reason, created_by, idempotency_key, created_at, updated_at)
			SELECT ` + pick(initTitles, 10, "s.g", 80) + ` || ' ' || ` + uniform(initPlaces, 6, "s.g", 81) + `,
			       'Bewoners doen het samen (synthetisch voorbeeld).', '', n.municipality_id,
			       ARRAY[` + pick(themes, 15, "s.g", 82) + `], ` + pick(forms, 7, "s.g", 83) + `,
			       CASE WHEN pg_temp.h(s.g, 84) % 100 < 15 THEN 'idee' WHEN pg_temp.h(s.g, 84) % 100 < 35 THEN 'in_opbouw'
			            WHEN pg_temp.h(s.g, 84) % 100 < 80 THEN 'actief' WHEN pg_temp.h(s.g, 84) % 100 < 90 THEN 'gepauzeerd' ELSE 'gestopt' END,
			       'platform', CASE WHEN pg_temp.h(s.g, 85) % 10 = 0 THEN 'members' ELSE 'public' END,
			       CASE WHEN pg_temp.h(s.g, 86) % 100 = 0 THEN now() END,
			       CASE WHEN pg_temp.h(s.g, 86) % 100 = 0 THEN 'Verborgen door de beheerder (synthetisch).' ELSE '' END,
			       s.owner, s.key, s.ts, s.ts
			  FROM syn_init s JOIN neighbourhoods n ON n.id = s.nb`},
		step{name: "buurten van initiatieven", sql: `
			INSERT INTO initiative_neighbourhoods (initiative_id, neighbourhood_id)
			SELECT i.id, x.nb FROM syn_init s
			  JOIN initiatives i ON i.created_by = s.owner AND i.idempotency_key = s.key
			 CROSS JOIN LATERAL (SELECT s.nb UNION
			                     SELECT s.nb2 WHERE s.nb2 IS NOT NULL AND pg_temp.h(s.g, 90) % 10 = 0
			                        AND (SELECT municipality_id FROM neighbourhoods WHERE id = s.nb2) = i.municipality_id) x(nb)`},
		step{name: "eigenaren", sql: `
			INSERT INTO initiative_owners (initiative_id, account_id, added_by, added_at)
			SELECT i.id, s.owner, s.owner, s.ts FROM syn_init s JOIN initiatives i ON i.created_by = s.owner AND i.idempotency_key = s.key`},
		step{name: "meedoeners", args: []any{o.Residents}, sql: `
			INSERT INTO initiative_supporters (initiative_id, account_id, joined_at)
			SELECT i.id, r.id, LEAST(now(), s.ts + make_interval(days => k::int)) FROM syn_init s
			  JOIN initiatives i ON i.created_by = s.owner AND i.idempotency_key = s.key
			 CROSS JOIN LATERAL generate_series(1, (pg_temp.h(s.g, 91) % 16)::int) k
			  JOIN syn_residents r ON r.idx = pg_temp.h(s.g * 31 + k, 92) % $1
			ON CONFLICT DO NOTHING`},
		step{name: "buurtbudgetten", sql: `
			INSERT INTO funds (name, funder_municipality_id, scope_municipality_id, period_label, opens_on, budget_cents, is_default)
			SELECT 'Buurtbudget ' || m.name, m.id, m.id, 'doorlopend', DATE '2000-01-01', 100000000000, true
			  FROM municipalities m WHERE EXISTS (SELECT 1 FROM initiatives i WHERE i.municipality_id = m.id)
			ON CONFLICT (scope_municipality_id) WHERE is_default DO NOTHING`},
		step{name: "aanvragen buurtbudget", count: func(s *Summary) *int64 { return &s.Funding }, sql: `
			INSERT INTO funding_requests (initiative_id, fund_id, granted_cents, amount_cents, purpose, budget, status, created_by, created_at,
			                              idempotency_key, decided_at, reason)
			SELECT i.id, (SELECT d.id FROM funds d WHERE d.scope_municipality_id = i.municipality_id AND d.is_default),
			       CASE WHEN st.status = 'toegekend' THEN 5000 * (10 + pg_temp.h(s.g, 101) % 190) END,
			       5000 * (10 + pg_temp.h(s.g, 101) % 190), 'Materiaal en huur', 'Materiaal, huur van de ruimte en koffie.',
			       st.status, s.owner, LEAST(now(), s.ts + interval '20 days'), md5('` + seed + `-f-' || s.g)::uuid,
			       CASE WHEN st.status <> 'ingediend' THEN LEAST(now(), s.ts + interval '34 days') END,
			       CASE st.status WHEN 'toegekend' THEN 'Past bij de doelen van het buurtbudget.'
			                      WHEN 'afgewezen' THEN 'Valt buiten de regeling van het buurtbudget.' ELSE '' END
			  FROM syn_init s JOIN initiatives i ON i.created_by = s.owner AND i.idempotency_key = s.key
			 CROSS JOIN LATERAL (SELECT CASE WHEN pg_temp.h(s.g, 102) % 20 < 12 THEN 'toegekend'
			                                 WHEN pg_temp.h(s.g, 102) % 20 < 17 THEN 'afgewezen' ELSE 'ingediend' END) st(status)
			 WHERE pg_temp.h(s.g, 100) % 10 < 3`},
		step{name: "signalen", count: func(s *Summary) *int64 { return &s.Signals }, args: []any{o.Signals, o.Residents}, sql: `
			INSERT INTO signals (neighbourhood_id, title, description, theme, addressed_to, raised_by, raised_as, is_public, status,
			                     idempotency_key, created_at, updated_at, first_response_at)
			SELECT w.nb, ` + pick(sigTitles, 6, "g", 110) + `, '', ` + pick(themes, 15, "g", 111) + `,
			       CASE WHEN pg_temp.h(g, 112) % 10 < 7 THEN 'gemeente' ELSE 'woningcorporatie' END,
			       CASE WHEN pg_temp.h(g, 113) % 10 < 4 THEN w.account_id ELSE r.id END,
			       CASE WHEN pg_temp.h(g, 113) % 10 < 4 THEN 'worker' ELSE 'resident' END,
			       pg_temp.h(g, 114) % 3 = 0, st.status, md5('` + seed + `-s-' || g)::uuid, t.ts, t.ts,
			       CASE WHEN st.status <> 'gesignaleerd' OR pg_temp.h(g, 115) % 10 < 3
			            THEN LEAST(now(), t.ts + make_interval(hours => (1 + power(pg_temp.h(g, 116) % 100, 2) / 15)::int)) END
			  FROM generate_series(1, $1) g
			 ` + worker("g", 117) + `
			  JOIN syn_residents r ON r.idx = pg_temp.h(g, 119) % $2
			 CROSS JOIN LATERAL (SELECT ` + when("g", 120, days) + `) t(ts)
			 CROSS JOIN LATERAL (SELECT CASE
			        WHEN t.ts < now() - interval '90 days' THEN
			             (ARRAY['opgepakt', 'opgepakt', 'opgepakt', 'opgepakt', 'opgepakt', 'niet_opgepakt', 'in_behandeling', 'in_behandeling', 'geagendeerd', 'gesignaleerd'])[1 + (pg_temp.h(g, 118) % 10)::int]
			        ELSE (ARRAY['gesignaleerd', 'gesignaleerd', 'gesignaleerd', 'gesignaleerd', 'geagendeerd', 'geagendeerd', 'in_behandeling', 'in_behandeling', 'opgepakt', 'niet_opgepakt'])[1 + (pg_temp.h(g, 118) % 10)::int]
			        END) st(status)`},
		step{name: "reacties op signalen", sql: `
			INSERT INTO signal_responses (signal_id, author_id, author_role, body, status_from, status_to, idempotency_key, created_at)
			SELECT sg.id, NULL, 'officer', 'Dank voor het signaal; we pakken het op met de buurt.',
			       CASE WHEN sg.status <> 'gesignaleerd' THEN 'gesignaleerd' END,
			       CASE WHEN sg.status <> 'gesignaleerd' THEN sg.status END,
			       md5('` + seed + `-r-' || sg.id)::uuid, sg.first_response_at
			  FROM signals sg
			 WHERE sg.first_response_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM signal_responses r WHERE r.signal_id = sg.id)`},
	)
	return out
}
