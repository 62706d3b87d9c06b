// Package notify tells people what happened to what they care about: a
// notification in the platform (the "Meldingen" page and the unread count in
// the header), and an e-mail at once or in a daily or weekly digest, as each
// person chose per category. Features call Send inside the transaction of the
// event itself, so a rollback notifies nobody and a commit always notifies:
// the notification rows and their e-mail jobs (River, in the same database)
// commit together with the event.
package notify

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
)

// Category groups notifications; preferences are per category.
type Category string

// The categories of DOMAIN.md.
const (
	Messages    Category = "berichten"
	Offers      Category = "aanbod"
	SignUps     Category = "aanmeldingen"
	Decisions   Category = "besluiten"
	Signals     Category = "signalen"
	Initiatives Category = "initiatieven"
	Agenda      Category = "agenda"
	Admin       Category = "beheer"
)

// Categories lists every category in the order the preferences show them.
var Categories = []Category{Messages, Offers, SignUps, Decisions, Signals, Initiatives, Agenda, Admin}

// Valid reports whether c is a known category.
func (c Category) Valid() bool { return slices.Contains(Categories, c) }

// Mode is how a person wants to hear of a category by e-mail.
type Mode string

// The modes.
const (
	Direct   Mode = "direct"    // an e-mail per notification
	Daily    Mode = "dagelijks" // one digest a day
	Weekly   Mode = "wekelijks" // one digest a week
	Platform Mode = "platform"  // no e-mail, only in the platform
)

// Modes lists the modes in the order the preferences show them.
var Modes = []Mode{Direct, Daily, Weekly, Platform}

// Valid reports whether m is a known mode.
func (m Mode) Valid() bool { return slices.Contains(Modes, m) }

// DefaultMode is the mode of a category nobody chose for: what needs an
// answer (messages, offers of help, decisions) at once, the rest daily.
func DefaultMode(c Category) Mode {
	switch c {
	case Messages, Offers, Decisions:
		return Direct
	}
	return Daily
}

// defaultModeSQL is DefaultMode as a SQL expression over a column "category".
func defaultModeSQL(col string) string {
	var b strings.Builder
	b.WriteString("CASE " + col)
	for _, c := range Categories {
		fmt.Fprintf(&b, " WHEN '%s' THEN '%s'", c, DefaultMode(c))
	}
	b.WriteString(" END")
	return b.String()
}

// Note is one event to tell people about.
type Note struct {
	Category Category
	Link     string // local path of the subject, e.g. "/initiatieven/12"
	Text     string // what the recipient reads; nothing they could not see on the page itself
	Actor    int64  // who caused it; never notified of their own action (0: nobody)
	// DigestOnly notifications are never mailed on their own, only in a
	// digest (a new initiative in a worker's area).
	DigestOnly bool
}

// maxText is the longest notification text kept, ellipsis included; longer
// texts are cut at a word (the page has the rest).
const maxText = 300

// inserter is a River client that only inserts jobs, inside the caller's
// transaction; the workers run in the app's own client (Queue).
var inserter = sync.OnceValue(func() *river.Client[pgx.Tx] {
	c, err := river.NewClient(riverpgxv5.New(nil), &river.Config{})
	if err != nil {
		panic(fmt.Sprintf("notify: river insert client: %v", err))
	}
	return c
})

// Send notifies recipients of n inside tx: one batched insert of the
// notifications, and one of the e-mail jobs for those who want mail at once
// and confirmed their address. The actor and duplicates are left out; an
// empty list does nothing.
func Send(ctx context.Context, tx pgx.Tx, n Note, recipients []int64) error {
	if !n.Category.Valid() {
		return fmt.Errorf("notify: unknown category %q", n.Category)
	}
	if !strings.HasPrefix(n.Link, "/") || strings.HasPrefix(n.Link, "//") {
		return fmt.Errorf("notify: link %q is not a local path", n.Link)
	}
	to := make([]int64, 0, len(recipients))
	for _, r := range recipients {
		if r != n.Actor && r != 0 && !slices.Contains(to, r) {
			to = append(to, r)
		}
	}
	if len(to) == 0 {
		return nil
	}
	rows, err := tx.Query(ctx, `
		WITH ins AS (
			INSERT INTO notifications (recipient_id, category, link, body, digest_only)
			SELECT r, $1, $2, $3, $4 FROM unnest($5::bigint[]) r
			WHERE EXISTS (SELECT 1 FROM accounts a WHERE a.id = r)
			RETURNING id, recipient_id, category)
		SELECT ins.id FROM ins
		JOIN accounts a ON a.id = ins.recipient_id
		LEFT JOIN notification_preferences p ON p.account_id = ins.recipient_id AND p.category = ins.category
		WHERE NOT $4 AND a.email_confirmed_at IS NOT NULL
		  AND COALESCE(p.mode, `+defaultModeSQL("ins.category")+`) = 'direct'`,
		n.Category, n.Link, Excerpt(n.Text, maxText-1), n.DigestOnly, to)
	if err != nil {
		return fmt.Errorf("notify: insert %s: %w", n.Category, err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return fmt.Errorf("notify: insert %s: %w", n.Category, err)
	}
	if len(ids) == 0 {
		return nil
	}
	params := make([]river.InsertManyParams, len(ids))
	for i, id := range ids {
		params[i] = river.InsertManyParams{Args: MailArgs{NotificationID: id}}
	}
	if _, err := inserter().InsertManyTx(ctx, tx, params); err != nil {
		return fmt.Errorf("notify: queue %d mails: %w", len(ids), err)
	}
	return nil
}

// Excerpt is the start of s on one line: s itself when it has at most n
// characters, else its first n cut back to a word (when that keeps more
// than half) with an ellipsis. Features quote titles and texts with it, and
// Send keeps every notification text within maxText.
func Excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	cut := string([]rune(s)[:n])
	if i := strings.LastIndex(cut, " "); i > n/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:") + "…"
}

// Quote puts a title between Dutch single quotes: ‘Moestuin’.
func Quote(title string) string { return "‘" + title + "’" }
