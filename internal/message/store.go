package message

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/buurtkracht/buurtkracht/internal/notify"
)

// Store owns the SQL of conversations, messages, blocks and reports. Every
// method takes the viewer and checks participation in the SQL itself.
type Store struct{ db *pgxpool.Pool }

// NewStore returns a Store on db.
func NewStore(db *pgxpool.Pool) *Store { return &Store{db: db} }

// querier is a pool or a transaction.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Viewer is who asks: their account and whether they may see residents'
// talents (municipality officers without another role may not).
type Viewer struct {
	ID      int64
	Talents bool
	// Area is the neighbourhood the viewer writes to a worker of
	// (AboutWorker only): only that area's workers can be reached.
	Area int64
}

// subjectColumn is the column of conversations that holds a kind's subject.
var subjectColumn = map[SubjectKind]string{AboutInitiative: "initiative_id", AboutOffer: "offer_id", AboutAsset: "asset_id",
	AboutWorker: "worker_id", AboutHelp: "help_request_id"}

// conflictTarget names the partial unique index of a kind for ON CONFLICT.
var conflictTarget = map[SubjectKind]string{
	AboutInitiative: "(initiative_id, party_id) WHERE subject_kind = 'initiatief'",
	AboutOffer:      "(offer_id) WHERE subject_kind = 'aanbod'",
	AboutAsset:      "(asset_id, party_id) WHERE subject_kind = 'hulpbron'",
	AboutWorker:     "(worker_id, party_id) WHERE subject_kind = 'opbouwwerker'",
	AboutHelp:       "(help_request_id, party_id) WHERE subject_kind = 'burenhulp'",
}

// resolve finds the subject kind/id as v may see it and everyone who takes
// part (v included). Hidden initiatives and assets, talents for those who may
// not see them and offers v is no party to are ErrNotFound.
func resolve(ctx context.Context, q querier, kind SubjectKind, id int64, v Viewer) (Subject, []int64, error) {
	sub := Subject{Kind: kind, ID: id}
	var owners []int64
	var participants []int64
	var err error
	switch kind {
	case AboutInitiative:
		err = q.QueryRow(ctx, `
			SELECT i.title, COALESCE(array_agg(o.account_id ORDER BY o.added_at, o.account_id) FILTER (WHERE o.account_id IS NOT NULL), '{}')
			FROM initiatives i LEFT JOIN initiative_owners o ON o.initiative_id = i.id
			WHERE i.id = $1 AND (i.hidden_at IS NULL OR EXISTS (
				SELECT 1 FROM initiative_owners x WHERE x.initiative_id = i.id AND x.account_id = $2))
			GROUP BY i.id`, id, v.ID).Scan(&sub.Title, &owners)
		if err == nil {
			if slices.Contains(owners, v.ID) {
				return sub, nil, ErrSelf
			}
			if len(owners) == 0 {
				return sub, nil, ErrNoRecipient
			}
			sub.InitiativeID, sub.Party = id, v.ID
			participants = append(slices.Clone(owners), v.ID)
		}
	case AboutOffer:
		var offerer int64
		err = q.QueryRow(ctx, `
			SELECT i.id, i.title, f.account_id,
			       COALESCE(array_agg(o.account_id ORDER BY o.added_at, o.account_id) FILTER (WHERE o.account_id IS NOT NULL), '{}')
			FROM initiative_offers f
			JOIN initiatives i ON i.id = f.initiative_id
			LEFT JOIN initiative_owners o ON o.initiative_id = i.id
			WHERE f.id = $1
			GROUP BY i.id, f.id
			HAVING f.account_id = $2 OR COALESCE(bool_or(o.account_id = $2), false)`, id, v.ID).Scan(&sub.InitiativeID, &sub.Title, &offerer, &owners)
		if err == nil {
			sub.OfferID, sub.Party = id, offerer
			participants = owners
			if !slices.Contains(participants, offerer) {
				participants = append(participants, offerer)
			}
			if !slices.ContainsFunc(participants, func(p int64) bool { return p != v.ID }) {
				return sub, nil, ErrSelf
			}
		}
	case AboutAsset:
		var owner *int64
		err = q.QueryRow(ctx, `
			SELECT a.name, a.created_by FROM assets a
			WHERE a.id = $1 AND NOT a.hidden AND a.kind IN ('plek', 'talent') AND (a.kind <> 'talent' OR $2)`,
			id, v.Talents).Scan(&sub.Title, &owner)
		if err == nil {
			if owner == nil {
				return sub, nil, ErrNoRecipient
			}
			if *owner == v.ID {
				return sub, nil, ErrSelf
			}
			sub.AssetID, sub.Party = id, v.ID
			participants = []int64{*owner, v.ID}
		}
	case AboutWorker:
		// A worker (not suspended) of the area the viewer writes from; the
		// title is the area's name.
		err = q.QueryRow(ctx, `
			SELECT n.name FROM account_work_areas w
			JOIN accounts a ON a.id = w.account_id
			JOIN neighbourhoods n ON n.id = w.neighbourhood_id
			WHERE w.account_id = $1 AND w.neighbourhood_id = $2 AND 'worker' = ANY (a.roles) AND a.suspended_at IS NULL`,
			id, v.Area).Scan(&sub.Title)
		if err == nil {
			if id == v.ID {
				return sub, nil, ErrSelf
			}
			sub.WorkerID, sub.Party = id, v.ID
			participants = []int64{id, v.ID}
		}
	case AboutHelp:
		// Between the author and a neighbour who answered it: internal/help
		// records the answer first, in the same transaction (StartHelp), so
		// answers are always counted. Closed requests keep their
		// conversations; hidden ones take no new messages.
		var author int64
		err = q.QueryRow(ctx, `
			SELECT CASE h.kind WHEN 'aanbod' THEN 'aanbod: ' ELSE 'vraag: ' END || h.category, h.author_id
			FROM help_requests h
			WHERE h.id = $1 AND h.hidden_at IS NULL AND (h.author_id = $2
			   OR EXISTS (SELECT 1 FROM help_responses r WHERE r.help_request_id = h.id AND r.responder_id = $2))`,
			id, v.ID).Scan(&sub.Title, &author)
		if err == nil {
			if author == v.ID {
				return sub, nil, ErrSelf
			}
			sub.HelpID, sub.Party = id, v.ID
			participants = []int64{author, v.ID}
		}
	default:
		return sub, nil, ErrNotFound
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return sub, nil, ErrNotFound
	}
	if err != nil {
		return sub, nil, fmt.Errorf("message: subject %s %d: %w", kind, id, err)
	}
	return sub, participants, nil
}

// subjectRef is the subject's row id in its kind's column.
func (s Subject) subjectRef() int64 {
	switch s.Kind {
	case AboutOffer:
		return s.OfferID
	case AboutAsset:
		return s.AssetID
	case AboutWorker:
		return s.WorkerID
	case AboutHelp:
		return s.HelpID
	}
	return s.InitiativeID
}

// Subject returns what a conversation started by v about kind/id would be
// about, who it goes to, and the conversation they already have about it.
func (s *Store) Subject(ctx context.Context, kind SubjectKind, id int64, v Viewer) (Subject, error) {
	sub, participants, err := resolve(ctx, s.db, kind, id, v)
	if err != nil {
		return sub, err
	}
	rows, err := s.db.Query(ctx, `SELECT id, display_name FROM accounts WHERE id = ANY($1) AND id <> $2 ORDER BY display_name, id`,
		participants, v.ID)
	if err != nil {
		return sub, fmt.Errorf("message: recipients of %s %d: %w", kind, id, err)
	}
	if sub.Recipients, err = pgx.CollectRows(rows, pgx.RowToStructByPos[Person]); err != nil {
		return sub, fmt.Errorf("message: recipients of %s %d: %w", kind, id, err)
	}
	err = s.db.QueryRow(ctx, `
		SELECT c.id FROM conversations c
		JOIN conversation_participants p ON p.conversation_id = c.id AND p.account_id = $4
		WHERE c.subject_kind = $1 AND c.`+subjectColumn[kind]+` = $2 AND c.party_id = $3`,
		kind, sub.subjectRef(), sub.Party, v.ID).Scan(&sub.Existing)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return sub, fmt.Errorf("message: existing conversation about %s %d: %w", kind, id, err)
	}
	return sub, nil
}

// sent returns the conversation of the message sender already sent with
// key (a form sent twice), or 0.
func sent(ctx context.Context, tx pgx.Tx, sender int64, key string) (int64, error) {
	var conv int64
	err := tx.QueryRow(ctx, `SELECT conversation_id FROM messages WHERE sender_id = $1 AND idempotency_key = $2`, sender, key).Scan(&conv)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	return conv, err
}

// mayWrite checks that none of recipients blocked sender and that a new
// account sends no links; it returns the sender's display name.
func mayWrite(ctx context.Context, tx pgx.Tx, sender int64, recipients []int64, body string) (string, error) {
	var name string
	var young, blocked bool
	err := tx.QueryRow(ctx, `
		SELECT a.display_name, a.created_at > $3,
		       EXISTS (SELECT 1 FROM account_blocks b WHERE b.blocked_id = a.id AND b.blocker_id = ANY($2))
		FROM accounts a WHERE a.id = $1`, sender, recipients, time.Now().Add(-LinkAge)).Scan(&name, &young, &blocked)
	if err != nil {
		return "", err
	}
	if blocked {
		return "", ErrBlocked
	}
	if young && HasLink(body) {
		return "", ErrLinkTooEarly
	}
	return name, nil
}

// post adds the message, moves the conversation up the lists and notifies
// the other participants, all in tx. A key seen before adds nothing.
func post(ctx context.Context, tx pgx.Tx, conv, sender int64, senderName, title, body, key string, participants []int64) error {
	var id int64
	err := tx.QueryRow(ctx, `
		INSERT INTO messages (conversation_id, sender_id, body, idempotency_key) VALUES ($1, $2, $3, $4)
		ON CONFLICT ON CONSTRAINT messages_idempotency_key DO NOTHING RETURNING id`, conv, sender, body, key).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil // the same form, sent twice at once
	}
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE conversations SET last_message_at = now() WHERE id = $1`, conv); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `UPDATE conversation_participants SET last_read_id = $3 WHERE conversation_id = $1 AND account_id = $2`,
		conv, sender, id); err != nil {
		return err
	}
	return notify.Send(ctx, tx, notify.Note{Category: notify.Messages, Link: Path(conv),
		Text: fmt.Sprintf(msgNotification, safeName(senderName), title), Actor: sender}, participants)
}

// safeName keeps an e-mail address someone typed as display name out of a
// notification.
func safeName(name string) string {
	if strings.Contains(name, "@") || strings.TrimSpace(name) == "" {
		return msgSomeone
	}
	return name
}

// Start sends v's first message about kind/id, in one transaction: the
// conversation of these people about this subject (made when new), its
// participants, the message and the notifications. It returns the
// conversation. A form sent twice (the same key) adds nothing.
func (s *Store) Start(ctx context.Context, kind SubjectKind, id int64, v Viewer, body, key string) (int64, error) {
	var conv int64
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var err error
		conv, err = start(ctx, tx, kind, id, v, body, key)
		return err
	})
	if err != nil {
		if isRefusal(err) {
			return 0, err
		}
		return 0, fmt.Errorf("message: start about %s %d by %d: %w", kind, id, v.ID, err)
	}
	return conv, nil
}

// start is Start inside tx.
func start(ctx context.Context, tx pgx.Tx, kind SubjectKind, id int64, v Viewer, body, key string) (int64, error) {
	conv, err := sent(ctx, tx, v.ID, key)
	if err != nil || conv != 0 {
		return conv, err
	}
	sub, participants, err := resolve(ctx, tx, kind, id, v)
	if err != nil {
		return 0, err
	}
	others := slices.DeleteFunc(slices.Clone(participants), func(p int64) bool { return p == v.ID })
	name, err := mayWrite(ctx, tx, v.ID, others, body)
	if err != nil {
		return 0, err
	}
	err = tx.QueryRow(ctx, `
		INSERT INTO conversations (subject_kind, initiative_id, offer_id, asset_id, help_request_id, subject_title, party_id, worker_id)
		VALUES ($1, NULLIF($2::bigint, 0), NULLIF($3::bigint, 0), NULLIF($4::bigint, 0), NULLIF($5::bigint, 0), $6, $7, NULLIF($8::bigint, 0))
		ON CONFLICT `+conflictTarget[kind]+` DO NOTHING RETURNING id`,
		kind, sub.InitiativeID, sub.OfferID, sub.AssetID, sub.HelpID, sub.Title, sub.Party, sub.WorkerID).Scan(&conv)
	if errors.Is(err, pgx.ErrNoRows) {
		err = tx.QueryRow(ctx, `SELECT id FROM conversations WHERE subject_kind = $1 AND `+subjectColumn[kind]+` = $2 AND party_id = $3`,
			kind, sub.subjectRef(), sub.Party).Scan(&conv)
	}
	if err != nil {
		return 0, err
	}
	// New co-owners of an initiative join an existing conversation here.
	if _, err := tx.Exec(ctx, `
		INSERT INTO conversation_participants (conversation_id, account_id) SELECT $1, unnest($2::bigint[])
		ON CONFLICT DO NOTHING`, conv, participants); err != nil {
		return 0, err
	}
	var title string
	if err := tx.QueryRow(ctx, `SELECT subject_title FROM conversations WHERE id = $1`, conv).Scan(&title); err != nil {
		return 0, err
	}
	return conv, post(ctx, tx, conv, v.ID, name, title, body, key, participants)
}

// StartHelp sends sender's first message to the author of help request
// id inside the caller's transaction (internal/help records the answer in
// it first) and returns the conversation. A refused message (blocked, a
// link from a new account, one's own request) returns the Dutch reason
// instead, and the caller rolls back.
func (s *Store) StartHelp(ctx context.Context, tx pgx.Tx, id, sender int64, body, key string) (int64, string, error) {
	conv, err := start(ctx, tx, AboutHelp, id, Viewer{ID: sender, Talents: true}, body, key)
	if msg, ok := refusal(err); ok {
		return 0, msg, nil
	}
	if errors.Is(err, ErrSelf) {
		return 0, selfProblem(AboutHelp), nil
	}
	if err != nil && !errors.Is(err, ErrNotFound) {
		return 0, "", fmt.Errorf("message: start about help %d by %d: %w", id, sender, err)
	}
	return conv, "", err
}

// Reply adds sender's message to conversation conv, in one transaction with
// its notifications; only a participant may. A form sent twice adds nothing.
func (s *Store) Reply(ctx context.Context, conv, sender int64, body, key string) error {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		done, err := sent(ctx, tx, sender, key)
		if err != nil || done != 0 {
			return err
		}
		var title string
		var participants []int64
		err = tx.QueryRow(ctx, `
			SELECT c.subject_title, (SELECT array_agg(q.account_id) FROM conversation_participants q WHERE q.conversation_id = c.id)
			FROM conversations c
			WHERE c.id = $1 AND EXISTS (SELECT 1 FROM conversation_participants p WHERE p.conversation_id = c.id AND p.account_id = $2)`,
			conv, sender).Scan(&title, &participants)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		others := slices.DeleteFunc(slices.Clone(participants), func(p int64) bool { return p == sender })
		if len(others) == 0 {
			return ErrNoRecipient
		}
		name, err := mayWrite(ctx, tx, sender, others, body)
		if err != nil {
			return err
		}
		return post(ctx, tx, conv, sender, name, title, body, key, participants)
	})
	if err != nil && !isRefusal(err) {
		return fmt.Errorf("message: reply in %d by %d: %w", conv, sender, err)
	}
	return err
}

// isRefusal reports whether err is one of the package's own answers.
func isRefusal(err error) bool {
	for _, e := range []error{ErrNotFound, ErrSelf, ErrNoRecipient, ErrBlocked, ErrLinkTooEarly} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}

// PageSize is how many conversations the list shows at once.
const PageSize = 50

// List returns viewer's conversations, latest activity first, PageSize at
// most, after the one with id before (0: from the start); more reports
// whether there are others after these.
func (s *Store) List(ctx context.Context, viewer, before int64) ([]Summary, bool, error) {
	rows, err := s.db.Query(ctx, `
		SELECT c.id, c.subject_kind, c.subject_title, c.last_message_at,
		       EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.id > p.last_read_id
		               AND m.sender_id IS DISTINCT FROM $1),
		       COALESCE((SELECT array_agg(a.display_name ORDER BY a.display_name, a.id)
		                 FROM conversation_participants q JOIN accounts a ON a.id = q.account_id
		                 WHERE q.conversation_id = c.id AND q.account_id <> $1), '{}')
		FROM conversation_participants p JOIN conversations c ON c.id = p.conversation_id
		WHERE p.account_id = $1 AND ($2::bigint = 0 OR (c.last_message_at, c.id) < (
			SELECT x.last_message_at, x.id FROM conversations x
			JOIN conversation_participants y ON y.conversation_id = x.id AND y.account_id = $1 WHERE x.id = $2))
		ORDER BY c.last_message_at DESC, c.id DESC
		LIMIT $3`, viewer, before, PageSize+1)
	if err != nil {
		return nil, false, fmt.Errorf("message: list for %d: %w", viewer, err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Summary])
	if err != nil {
		return nil, false, fmt.Errorf("message: list for %d: %w", viewer, err)
	}
	more := len(out) > PageSize
	if more {
		out = out[:PageSize]
	}
	return out, more, nil
}

// Thread returns conversation id as viewer, a participant, sees it, and
// marks it read for them (with its notifications). Anyone else, an
// administrator included, gets ErrNotFound.
func (s *Store) Thread(ctx context.Context, id, viewer int64) (Thread, error) {
	t := Thread{ID: id}
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
			UPDATE conversation_participants p
			SET last_read_id = GREATEST(p.last_read_id, COALESCE((SELECT max(m.id) FROM messages m WHERE m.conversation_id = $1), 0))
			WHERE p.conversation_id = $1 AND p.account_id = $2`, id, viewer)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return ErrNotFound
		}
		if _, err := tx.Exec(ctx, `UPDATE notifications SET read_at = now() WHERE recipient_id = $1 AND link = $2 AND read_at IS NULL`,
			viewer, Path(id)); err != nil {
			return err
		}
		var code string
		var asset, help int64
		err = tx.QueryRow(ctx, `
			SELECT c.subject_kind, c.subject_title, COALESCE(i.id, 0), COALESCE(n.code, ''), COALESCE(a.id, 0), COALESCE(c.help_request_id, 0)
			FROM conversations c
			LEFT JOIN initiatives i ON i.id = c.initiative_id AND (i.hidden_at IS NULL OR EXISTS (
				SELECT 1 FROM initiative_owners o WHERE o.initiative_id = i.id AND o.account_id = $2))
			LEFT JOIN assets a ON a.id = c.asset_id AND NOT a.hidden
			LEFT JOIN neighbourhoods n ON n.id = a.neighbourhood_id
			WHERE c.id = $1 AND EXISTS (SELECT 1 FROM conversation_participants p WHERE p.conversation_id = c.id AND p.account_id = $2)`,
			id, viewer).Scan(&t.Kind, &t.Title, &t.InitiativeID, &code, &asset, &help)
		if err != nil {
			return err
		}
		if asset != 0 {
			t.AssetAnchor = fmt.Sprintf("/buurten/%s/wie-kan-helpen#hulpbron-%d", code, asset)
		}
		if help != 0 {
			t.AssetAnchor = fmt.Sprintf("/burenhulp/%d", help)
		}
		rows, err := tx.Query(ctx, `
			SELECT a.id, a.display_name,
			       EXISTS (SELECT 1 FROM account_blocks b WHERE b.blocker_id = $2 AND b.blocked_id = a.id)
			FROM conversation_participants p JOIN accounts a ON a.id = p.account_id
			WHERE p.conversation_id = $1 AND p.account_id <> $2
			ORDER BY a.display_name, a.id`, id, viewer)
		if err != nil {
			return err
		}
		if t.Others, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Other, error) {
			var o Other
			err := r.Scan(&o.ID, &o.Name, &o.Blocked)
			return o, err
		}); err != nil {
			return err
		}
		rows, err = tx.Query(ctx, `
			SELECT m.id, COALESCE(m.sender_id, 0), COALESCE(s.display_name, ''), m.body, m.created_at,
			       EXISTS (SELECT 1 FROM message_reports r WHERE r.message_id = m.id AND r.reporter_id = $2)
			FROM messages m LEFT JOIN accounts s ON s.id = m.sender_id
			WHERE m.conversation_id = $1
			  AND EXISTS (SELECT 1 FROM conversation_participants p WHERE p.conversation_id = m.conversation_id AND p.account_id = $2)
			ORDER BY m.id`, id, viewer)
		if err != nil {
			return err
		}
		t.Messages, err = pgx.CollectRows(rows, pgx.RowToStructByPos[Message])
		return err
	})
	if errors.Is(err, ErrNotFound) || errors.Is(err, pgx.ErrNoRows) {
		return Thread{}, ErrNotFound
	}
	if err != nil {
		return Thread{}, fmt.Errorf("message: thread %d for %d: %w", id, viewer, err)
	}
	return t, nil
}

// Block stops other sending messages to blocker; both must take part in
// conversation conv. Blocking twice is blocking once.
func (s *Store) Block(ctx context.Context, conv, blocker, other int64) error {
	var ok bool
	err := s.db.QueryRow(ctx, `
		WITH ok AS (
			SELECT 1 FROM conversation_participants a
			JOIN conversation_participants b ON b.conversation_id = a.conversation_id
			WHERE a.conversation_id = $1 AND a.account_id = $2 AND b.account_id = $3 AND $2 <> $3),
		ins AS (
			INSERT INTO account_blocks (blocker_id, blocked_id) SELECT $2, $3 FROM ok
			ON CONFLICT DO NOTHING)
		SELECT EXISTS (SELECT 1 FROM ok)`, conv, blocker, other).Scan(&ok)
	if err != nil {
		return fmt.Errorf("message: block %d by %d: %w", other, blocker, err)
	}
	if !ok {
		return ErrNotFound
	}
	return nil
}

// Unblock lets other send messages to blocker again; blocker must take part
// in conversation conv.
func (s *Store) Unblock(ctx context.Context, conv, blocker, other int64) error {
	var ok bool
	err := s.db.QueryRow(ctx, `
		WITH ok AS (
			SELECT 1 FROM conversation_participants WHERE conversation_id = $1 AND account_id = $2),
		del AS (
			DELETE FROM account_blocks WHERE blocker_id = $2 AND blocked_id = $3 AND EXISTS (SELECT 1 FROM ok))
		SELECT EXISTS (SELECT 1 FROM ok)`, conv, blocker, other).Scan(&ok)
	if err != nil {
		return fmt.Errorf("message: unblock %d by %d: %w", other, blocker, err)
	}
	if !ok {
		return ErrNotFound
	}
	return nil
}

// Reportable returns message msg of conversation conv when viewer takes part
// in it and did not send it, with the conversation's title.
func (s *Store) Reportable(ctx context.Context, conv, msg, viewer int64) (Message, string, error) {
	var m Message
	var title string
	err := s.db.QueryRow(ctx, `
		SELECT m.id, COALESCE(m.sender_id, 0), COALESCE(s.display_name, ''), m.body, m.created_at,
		       EXISTS (SELECT 1 FROM message_reports r WHERE r.message_id = m.id AND r.reporter_id = $3), c.subject_title
		FROM messages m JOIN conversations c ON c.id = m.conversation_id
		LEFT JOIN accounts s ON s.id = m.sender_id
		WHERE m.id = $2 AND m.conversation_id = $1 AND m.sender_id IS DISTINCT FROM $3
		  AND EXISTS (SELECT 1 FROM conversation_participants p WHERE p.conversation_id = $1 AND p.account_id = $3)`,
		conv, msg, viewer).Scan(&m.ID, &m.SenderID, &m.SenderName, &m.Body, &m.CreatedAt, &m.Reported, &title)
	if errors.Is(err, pgx.ErrNoRows) {
		return Message{}, "", ErrNotFound
	}
	if err != nil {
		return Message{}, "", fmt.Errorf("message: reportable %d: %w", msg, err)
	}
	return m, title, nil
}

// Report records viewer's report of message msg in conversation conv (a
// second report replaces the reason) and tells the administrators, in one
// transaction. Only a participant may report, and not their own message.
func (s *Store) Report(ctx context.Context, conv, msg, viewer int64, reason string) error {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `
			INSERT INTO message_reports (message_id, reporter_id, reason)
			SELECT m.id, $3, $4 FROM messages m
			WHERE m.id = $2 AND m.conversation_id = $1 AND m.sender_id IS DISTINCT FROM $3
			  AND EXISTS (SELECT 1 FROM conversation_participants p WHERE p.conversation_id = $1 AND p.account_id = $3)
			ON CONFLICT ON CONSTRAINT message_reports_once DO UPDATE SET reason = EXCLUDED.reason, created_at = now()`,
			conv, msg, viewer, reason)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return ErrNotFound
		}
		rows, err := tx.Query(ctx, `SELECT id FROM accounts WHERE 'admin' = ANY(roles)`)
		if err != nil {
			return err
		}
		admins, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return err
		}
		return notify.Send(ctx, tx, notify.Note{Category: notify.Admin, Link: "/beheer/berichten", Text: msgReportNotification, Actor: viewer}, admins)
	})
	if errors.Is(err, ErrNotFound) {
		return err
	}
	if err != nil {
		return fmt.Errorf("message: report %d by %d: %w", msg, viewer, err)
	}
	return nil
}

// ReportsShown is how many reports the administrators' page lists.
const ReportsShown = 200

// Reports returns the newest reported messages, ReportsShown at most, and
// how many reports there are in all. Nothing else of any conversation.
func (s *Store) Reports(ctx context.Context) ([]Report, int, error) {
	rows, err := s.db.Query(ctx, `
		SELECT r.id, r.reason, r.created_at, COALESCE(ra.display_name, ''), m.id, m.body, m.created_at,
		       COALESCE(sa.display_name, ''), c.subject_title
		FROM message_reports r
		JOIN messages m ON m.id = r.message_id
		JOIN conversations c ON c.id = m.conversation_id
		LEFT JOIN accounts ra ON ra.id = r.reporter_id
		LEFT JOIN accounts sa ON sa.id = m.sender_id
		ORDER BY r.created_at DESC, r.id DESC
		LIMIT $1`, ReportsShown)
	if err != nil {
		return nil, 0, fmt.Errorf("message: reports: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Report])
	if err != nil {
		return nil, 0, fmt.Errorf("message: reports: %w", err)
	}
	var total int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM message_reports`).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("message: count reports: %w", err)
	}
	return out, total, nil
}
