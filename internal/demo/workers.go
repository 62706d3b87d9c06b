package demo

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/buurtkracht/buurtkracht/internal/role"
)

// A conversation the demo resident started from their neighbourhood page
// with the community worker of the area ("Stuur een bericht" in the
// workers section), with the worker's answer. Made up.
func init() {
	register(step{name: "worker-message", run: seedWorkerMessage})
}

func seedWorkerMessage(ctx context.Context, tx pgx.Tx, d *Data) error {
	resident, ok := d.Accounts[role.Resident]
	worker, ok2 := d.Accounts[role.Worker]
	if !ok || !ok2 {
		return fmt.Errorf("worker message: demo resident or worker missing")
	}
	var conv int64
	err := tx.QueryRow(ctx, `
		INSERT INTO conversations (subject_kind, worker_id, subject_title, party_id, created_at, last_message_at)
		SELECT 'opbouwwerker', $1, n.name, $2, now() - interval '3 days', now() - interval '2 days'
		FROM neighbourhoods n WHERE n.id = $3
		RETURNING id`, worker, resident, d.HomeID).Scan(&conv)
	if err != nil {
		return fmt.Errorf("worker message: %w", err)
	}
	if _, err := tx.Exec(ctx, `
		INSERT INTO conversation_participants (conversation_id, account_id) VALUES ($1, $2), ($1, $3)`, conv, resident, worker); err != nil {
		return fmt.Errorf("worker message participants: %w", err)
	}
	for _, m := range []struct {
		sender  int64
		daysAgo int
		body    string
	}{
		{resident, 3, "Hallo, een paar buren en ik willen een straatfeest organiseren. Kun je ons op weg helpen met de vergunning?"},
		{worker, 2, "Wat leuk! Ik kom donderdag langs bij het buurthuis, dan zetten we samen op een rij wat er nodig is."},
	} {
		if _, err := tx.Exec(ctx, `
			INSERT INTO messages (conversation_id, sender_id, body, idempotency_key, created_at)
			VALUES ($1, $2, $3, gen_random_uuid(), now() - make_interval(days => $4))`, conv, m.sender, m.body, m.daysAgo); err != nil {
			return fmt.Errorf("worker message: %w", err)
		}
	}
	// Both have read the conversation.
	_, err = tx.Exec(ctx, `UPDATE conversation_participants SET last_read_id = (SELECT max(id) FROM messages WHERE conversation_id = $1)
		WHERE conversation_id = $1`, conv)
	return err
}
