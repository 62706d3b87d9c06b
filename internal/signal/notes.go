package signal

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/buurtkracht/buurtkracht/internal/notify"
)

// Notifications of the signal feature. Each event computes its recipients
// in one query inside the transaction of the event itself and hands them to
// notify.Send in that same transaction. Every recipient must be able to see
// the signal at that moment (mayRead, the rule of Get for that account), so
// a private signal's title never reaches anyone else. The texts name roles,
// not people ("de gemeente", "een opbouwwerker", "de melder"), as the page
// does for public visitors, and quote only what the page shows.

// Recipients, as queries of account ids over the signal "s" and its
// neighbourhood "n".
const (
	// The raiser, who follows their own signal without a row in signal_followers.
	toRaiser = `SELECT s.raised_by`
	// Everyone who chose to follow the signal.
	toFollowers = `SELECT f.account_id FROM signal_followers f WHERE f.signal_id = s.id`
	// Community workers with the signal's neighbourhood in their work areas.
	toAreaWorkers = `SELECT w.account_id FROM account_work_areas w JOIN accounts wa ON wa.id = w.account_id
		WHERE w.neighbourhood_id = s.neighbourhood_id AND wa.roles @> ARRAY['worker']::text[]`
	// Officers who responded to the signal before and still serve its
	// municipality: those in the conversation. Other officers can follow it.
	toOfficersWhoResponded = `SELECT r.author_id FROM signal_responses r JOIN accounts oa ON oa.id = r.author_id
		WHERE r.signal_id = s.id AND r.author_role = 'officer'
		  AND oa.roles @> ARRAY['officer']::text[] AND oa.municipality_id = n.municipality_id`
)

// mayRead is the rule of visible (Store.Get) for the account "a" instead of
// a Scope: public, raised by them, in their work areas as a worker, in their
// municipality as an officer. An administrator's reach into private signals
// is left out: they open one to look into it, audited, and are not told of
// it afterwards (nor can they follow it, see Store.mark). A hidden signal
// is for its raiser only.
const mayRead = `(s.is_public OR a.id = s.raised_by
	OR (a.roles @> ARRAY['worker']::text[] AND EXISTS (
		SELECT 1 FROM account_work_areas mw WHERE mw.account_id = a.id AND mw.neighbourhood_id = s.neighbourhood_id))
	OR (a.roles @> ARRAY['officer']::text[] AND a.municipality_id = n.municipality_id))
	AND (s.hidden_at IS NULL OR a.id = s.raised_by)`

// audience is what a notification about one signal needs besides its text.
type audience struct {
	title         string
	neighbourhood string
	to            []int64
}

// event is one thing that happened to a signal, to notify about.
type event struct {
	signal int64
	actor  int64
	to     []string // some of the to… queries above
	text   func(audience) string
}

// send loads the event's audience in one query and notifies it, inside tx.
func (e event) send(ctx context.Context, tx pgx.Tx) error {
	var a audience
	err := tx.QueryRow(ctx, `
		SELECT s.title, n.name, ARRAY(
			SELECT a.id FROM accounts a
			WHERE a.id IN (`+strings.Join(e.to, " UNION ")+`) AND a.id <> $2 AND `+mayRead+`
			ORDER BY a.id)
		FROM signals s JOIN neighbourhoods n ON n.id = s.neighbourhood_id
		WHERE s.id = $1`, e.signal, e.actor).Scan(&a.title, &a.neighbourhood, &a.to)
	if err != nil {
		return fmt.Errorf("signal: recipients for %d: %w", e.signal, err)
	}
	if len(a.to) == 0 {
		return nil
	}
	return notify.Send(ctx, tx, notify.Note{Category: notify.Signals, Link: signalPath(e.signal), Text: e.text(a), Actor: e.actor}, a.to)
}

// excerptLen is how much of a response a notification quotes.
const excerptLen = 100

func excerpt(s string) string { return notify.Excerpt(s, excerptLen) }

// The texts, one per event.

func noteRaised(a audience) string {
	return "Nieuw signaal in " + a.neighbourhood + ": " + notify.Quote(a.title) + "."
}

// noteResponse tells of a response by author a, with a new status (or "") and
// a text (or "").
func noteResponse(a Author, title string, status Status, body string) string {
	who := "Een opbouwwerker"
	if a == AuthorOfficer {
		who = "De gemeente"
	}
	switch {
	case status != "" && body != "":
		return who + " reageerde op " + notify.Quote(title) + " en zette de status op " + StatusLabel(status) + ": “" + excerpt(body) + "”"
	case status != "":
		return who + " zette de status van " + notify.Quote(title) + " op " + StatusLabel(status) + "."
	}
	return who + " reageerde op " + notify.Quote(title) + ": “" + excerpt(body) + "”"
}

func noteReply(title, body string) string {
	return "De melder reageerde op " + notify.Quote(title) + ": “" + excerpt(body) + "”"
}
