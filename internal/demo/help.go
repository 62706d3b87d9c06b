package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/buurtkracht/buurtkracht/web/dutch"
)

// Help between neighbours in the demo: requests and offers in Oog in Al
// (the demo resident's neighbourhood) and Welgelegen next to it, some
// answered with a conversation, one helped, one nobody answered yet (the
// worker sees it first). Runs after the assets step, which adds Fatima and
// Henk.
func init() {
	register(step{name: "help", run: seedHelp})
}

type demoHelp struct {
	key, author, kind, category, body, neighbourhood string
	from, days                                       int // first day from today, and length
	status                                           string
	responder, reply                                 string // e-mail and first message; "" when unanswered
}

var demoHelps = []demoHelp{
	{key: "5e1d0000-0000-4000-8000-000000000001", author: "henk@demo.buurtkracht.nl", kind: "vraag", category: "klusje",
		body:          "Wie helpt me zaterdag een kast in elkaar te zetten? Ik heb het gereedschap, maar vier handen zijn handiger.",
		neighbourhood: homeCode, from: 0, days: 10, status: "open",
		responder: ResidentEmail, reply: "Hoi Henk, ik kan zaterdagochtend. Hoe laat zal ik komen?"},
	{key: "5e1d0000-0000-4000-8000-000000000002", author: "fatima@demo.buurtkracht.nl", kind: "vraag", category: "boodschappen",
		body:          "Ik ben aan mijn knie geopereerd. Wie kan deze week een keer boodschappen voor me meenemen?",
		neighbourhood: homeCode, from: 0, days: 7, status: "open"},
	{key: "5e1d0000-0000-4000-8000-000000000003", author: ResidentEmail, kind: "aanbod", category: "computer",
		body:          "Ik help graag met het instellen van een nieuwe telefoon of tablet, of met videobellen met de kleinkinderen.",
		neighbourhood: homeCode, from: 0, days: 60, status: "open",
		responder: "fatima@demo.buurtkracht.nl", reply: "Wat fijn! Mijn nieuwe telefoon ligt nog in de doos. Past donderdag?"},
	{key: "5e1d0000-0000-4000-8000-000000000004", author: ResidentEmail, kind: "vraag", category: "vervoer",
		body:          "Wie rijdt dinsdag met me mee naar het ziekenhuis? Mijn fiets is stuk.",
		neighbourhood: "BU03440111", from: 0, days: 5, status: "geholpen",
		responder: "henk@demo.buurtkracht.nl", reply: "Ik breng je met de auto, ik moet toch die kant op."},
	{key: "5e1d0000-0000-4000-8000-000000000005", author: "henk@demo.buurtkracht.nl", kind: "aanbod", category: "gezelschap",
		body:          "Ik wandel elke ochtend een rondje door het park. Wie loopt mee, zeker als je niet graag alleen gaat?",
		neighbourhood: "BU03440111", from: 1, days: 80, status: "open"},
}

func seedHelp(ctx context.Context, tx pgx.Tx, d *Data) error {
	y, m, day := d.Now.In(dutch.Amsterdam).Date()
	today := time.Date(y, m, day, 0, 0, 0, 0, time.UTC)
	ids := func(email string) (int64, error) {
		var id int64
		err := tx.QueryRow(ctx, `SELECT id FROM accounts WHERE email = $1`, email).Scan(&id)
		return id, err
	}
	for i, h := range demoHelps {
		nb, err := d.Neighbourhood(h.neighbourhood)
		if err != nil {
			return err
		}
		author, err := ids(h.author)
		if err != nil {
			return fmt.Errorf("help: author %s: %w", h.author, err)
		}
		var id int64
		err = tx.QueryRow(ctx, `
			WITH ins AS (
				INSERT INTO help_requests (kind, category, body, neighbourhood_id, author_id, starts_on, ends_on,
				                           status, closed_at, idempotency_key, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, CASE WHEN $8 <> 'open' THEN now() END, $9, now() - make_interval(hours => $10))
				ON CONFLICT ON CONSTRAINT help_requests_idempotency_key DO NOTHING RETURNING id)
			SELECT id FROM ins UNION ALL SELECT id FROM help_requests WHERE author_id = $5 AND idempotency_key = $9 LIMIT 1`,
			h.kind, h.category, h.body, nb, author, today.AddDate(0, 0, h.from), today.AddDate(0, 0, h.from+h.days),
			h.status, h.key, 30-5*i).Scan(&id)
		if err != nil {
			return fmt.Errorf("help: %s: %w", h.key, err)
		}
		if h.responder == "" {
			continue
		}
		responder, err := ids(h.responder)
		if err != nil {
			return fmt.Errorf("help: responder %s: %w", h.responder, err)
		}
		title := "vraag: " + h.category
		if h.kind == "aanbod" {
			title = "aanbod: " + h.category
		}
		var conv int64
		for _, q := range []struct {
			sql  string
			args []any
		}{
			{`INSERT INTO help_responses (help_request_id, responder_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, []any{id, responder}},
			{`UPDATE help_requests SET answered_at = COALESCE(answered_at, now()) WHERE id = $1`, []any{id}},
			{`INSERT INTO conversations (subject_kind, help_request_id, subject_title, party_id) VALUES ('burenhulp', $1, $2, $3)
			  ON CONFLICT (help_request_id, party_id) WHERE subject_kind = 'burenhulp' DO NOTHING`, []any{id, title, responder}},
		} {
			if _, err := tx.Exec(ctx, q.sql, q.args...); err != nil {
				return fmt.Errorf("help: answer to %s: %w", h.key, err)
			}
		}
		if err := tx.QueryRow(ctx, `SELECT id FROM conversations WHERE subject_kind = 'burenhulp' AND help_request_id = $1 AND party_id = $2`,
			id, responder).Scan(&conv); err != nil {
			return fmt.Errorf("help: conversation of %s: %w", h.key, err)
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO conversation_participants (conversation_id, account_id) VALUES ($1, $2), ($1, $3) ON CONFLICT DO NOTHING`,
			conv, author, responder); err != nil {
			return fmt.Errorf("help: participants of %s: %w", h.key, err)
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO messages (conversation_id, sender_id, body, idempotency_key) VALUES ($1, $2, $3, $4)
			ON CONFLICT ON CONSTRAINT messages_idempotency_key DO NOTHING`, conv, responder, h.reply, h.key); err != nil {
			return fmt.Errorf("help: message of %s: %w", h.key, err)
		}
	}
	return nil
}
