package main

import (
	"context"
	"fmt"
	"sync"

	"github.com/jackc/pgx/v5"
)

// ledger remembers, on the client side, every write the platform
// acknowledged (a 303 after a form). At the end each one must be in the
// database exactly once.
type ledger struct {
	mu          sync.Mutex
	initiatives map[string]string // idempotency key -> title, acknowledged
	contacts    map[string]bool   // client_id, acknowledged
	attempts    int               // write attempts, acknowledged or not
	retries     int               // resubmissions of an unacknowledged form
}

func newLedger() *ledger {
	return &ledger{initiatives: map[string]string{}, contacts: map[string]bool{}}
}

func (l *ledger) attempt(retry bool) {
	l.mu.Lock()
	l.attempts++
	if retry {
		l.retries++
	}
	l.mu.Unlock()
}

func (l *ledger) ackInitiative(key, title string) {
	l.mu.Lock()
	l.initiatives[key] = title
	l.mu.Unlock()
}

func (l *ledger) ackContact(clientID string) {
	l.mu.Lock()
	l.contacts[clientID] = true
	l.mu.Unlock()
}

// ledgerResult compares the ledger with the database.
type ledgerResult struct {
	acked, missing, duplicated int
	attempts, retries          int
}

func (r ledgerResult) ok() bool { return r.missing == 0 && r.duplicated == 0 }

func (r ledgerResult) String() string {
	return fmt.Sprintf("%d acknowledged writes (of %d attempts, %d resubmitted): %d missing, %d duplicated",
		r.acked, r.attempts, r.retries, r.missing, r.duplicated)
}

// verify counts the acknowledged writes in the database. titlePrefix marks
// this run's initiatives: a title appearing twice is a duplicate even if
// its key differs.
func (l *ledger) verify(ctx context.Context, dbURL, titlePrefix string) (ledgerResult, error) {
	l.mu.Lock()
	keys := make([]string, 0, len(l.initiatives))
	for k := range l.initiatives {
		keys = append(keys, k)
	}
	ids := make([]string, 0, len(l.contacts))
	for c := range l.contacts {
		ids = append(ids, c)
	}
	res := ledgerResult{acked: len(keys) + len(ids), attempts: l.attempts, retries: l.retries}
	l.mu.Unlock()

	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return res, err
	}
	defer conn.Close(ctx)
	var foundInit, foundContacts, dupTitles, dupContacts int
	err = conn.QueryRow(ctx, `SELECT count(DISTINCT idempotency_key) FROM initiatives WHERE idempotency_key = ANY($1::uuid[])`, keys).Scan(&foundInit)
	if err != nil {
		return res, fmt.Errorf("count initiatives: %w", err)
	}
	err = conn.QueryRow(ctx, `SELECT count(*) FROM (SELECT title FROM initiatives WHERE starts_with(title, $1)
		GROUP BY title HAVING count(*) > 1) d`, titlePrefix).Scan(&dupTitles)
	if err != nil {
		return res, fmt.Errorf("duplicate initiatives: %w", err)
	}
	err = conn.QueryRow(ctx, `SELECT count(DISTINCT client_id) FROM contacts WHERE client_id = ANY($1::uuid[])`, ids).Scan(&foundContacts)
	if err != nil {
		return res, fmt.Errorf("count contacts: %w", err)
	}
	err = conn.QueryRow(ctx, `SELECT count(*) FROM (SELECT client_id FROM contacts WHERE client_id = ANY($1::uuid[])
		GROUP BY client_id HAVING count(*) > 1) d`, ids).Scan(&dupContacts)
	if err != nil {
		return res, fmt.Errorf("duplicate contacts: %w", err)
	}
	res.missing = len(keys) - foundInit + len(ids) - foundContacts
	res.duplicated = dupTitles + dupContacts
	return res, nil
}
