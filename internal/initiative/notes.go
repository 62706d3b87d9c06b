package initiative

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/buurtkracht/buurtkracht/internal/notify"
)

// Notifications of the initiative feature. Each event computes its
// recipients in one query inside its own transaction (audience) and hands
// them to notify.Send in that same transaction. The texts hold only what the
// recipient sees on the linked page: display names, the title, the start of
// a public update, and for owners the reasons of a moderator or the
// municipality. Never an e-mail address, contact details or an offer's
// private message.

// Recipients, as a query of account ids over the initiative "i".
const (
	toOwners = `SELECT o.account_id FROM initiative_owners o WHERE o.initiative_id = i.id`
	// Supporters read updates on the page, so not while it is hidden.
	toSupporters = `SELECT s.account_id FROM initiative_supporters s WHERE s.initiative_id = i.id AND i.hidden_at IS NULL`
	// Community workers with one of the initiative's neighbourhoods in their
	// work area, while they can see it (not hidden; public or members-only).
	toAreaWorkers = `SELECT DISTINCT w.account_id FROM account_work_areas w
		JOIN initiative_neighbourhoods x ON x.neighbourhood_id = w.neighbourhood_id
		JOIN accounts a ON a.id = w.account_id
		WHERE x.initiative_id = i.id AND a.roles @> ARRAY['worker']::text[]
		  AND i.hidden_at IS NULL AND i.visibility IN ('public', 'members')`
)

// toAccount is one account, given as $3.
const toAccount = `SELECT $3::bigint`

// audience is what a notification about one initiative needs besides its
// text: the title, the actor's display name and the recipients.
type audience struct {
	title string
	actor string
	to    []int64
}

// event is one thing that happened to an initiative, to notify about.
type event struct {
	initiative int64
	actor      int64
	who        string // one of the to… queries above
	whoArg     any    // $3 of who, when it has one
	category   notify.Category
	link       string
	text       func(audience) string
	digestOnly bool
}

// send loads the event's audience in one query and notifies it, inside tx.
func (e event) send(ctx context.Context, tx pgx.Tx) error {
	var a audience
	args := []any{e.initiative, e.actor}
	if e.whoArg != nil {
		args = append(args, e.whoArg)
	}
	err := tx.QueryRow(ctx, `
		SELECT i.title, COALESCE((SELECT display_name FROM accounts WHERE id = $2), ''),
		       ARRAY(`+e.who+`)
		FROM initiatives i WHERE i.id = $1`, args...).Scan(&a.title, &a.actor, &a.to)
	if err != nil {
		return fmt.Errorf("initiative: recipients for %d: %w", e.initiative, err)
	}
	if len(a.to) == 0 {
		return nil
	}
	return notify.Send(ctx, tx, notify.Note{Category: e.category, Link: e.link, Text: e.text(a), Actor: e.actor, DigestOnly: e.digestOnly}, a.to)
}

// excerptLen is how much of a message a notification quotes.
const excerptLen = 100

func excerpt(s string) string { return notify.Excerpt(s, excerptLen) }

// The texts, one per event.

// The offer's message stays on the page: people write their phone number
// in it, and a notification may go out by e-mail.
func noteOffer(name, title string, need NeedCode, changed bool) string {
	if changed {
		return name + " heeft het aanbod van hulp bij " + notify.Quote(title) + " aangepast: " + lower(NeedLabel(need)) + "."
	}
	return name + " biedt hulp aan bij " + notify.Quote(title) + ": " + lower(NeedLabel(need)) + "."
}

func noteJoined(name, title string) string {
	return name + " doet mee met " + notify.Quote(title) + "."
}

func noteUpdate(name, title, body string) string {
	return name + " plaatste een bericht bij " + notify.Quote(title) + ": “" + excerpt(body) + "”"
}

func noteInvited(name, title string) string {
	return name + " nodigt je uit om mede-eigenaar te worden van " + notify.Quote(title) + ". Neem de uitnodiging aan of weiger haar op de pagina van het initiatief."
}

func noteAccepted(name, title string) string {
	return name + " heeft de uitnodiging aangenomen en is nu mede-eigenaar van " + notify.Quote(title) + "."
}

func noteRemoved(name, title string) string {
	return name + " heeft je verwijderd als eigenaar van " + notify.Quote(title) + "."
}

// noteOwnerLeft tells the remaining owners: who stepped down, or who was
// removed by whom.
func noteOwnerLeft(actor, gone, title string, self bool) string {
	if self {
		return gone + " is gestopt als eigenaar van " + notify.Quote(title) + "."
	}
	return actor + " heeft " + gone + " verwijderd als eigenaar van " + notify.Quote(title) + "."
}

func noteHidden(title, reason string) string {
	return "Een beheerder heeft " + notify.Quote(title) + " verborgen. Reden: " + reason
}

func noteShown(title string) string {
	return "Een beheerder heeft " + notify.Quote(title) + " weer zichtbaar gemaakt."
}

func noteCreated(name, title string) string {
	return "Nieuw initiatief in je werkgebied: " + notify.Quote(title) + " van " + name + "."
}
