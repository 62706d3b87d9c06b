package account

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// SessionStore keeps the scs sessions in PostgreSQL (table sessions), so every
// instance of the platform sees the same sessions. It differs from scs's own
// pgxstore in two ways that matter under load:
//
//   - With an idle timeout, scs commits the session after every request just
//     to move its expiry forward. That is a row update and a WAL flush per
//     page view. This store skips the write when the session's contents are
//     unchanged and the stored expiry was moved less than touchEvery ago, so
//     a session may end up to touchEvery earlier than the idle timeout says.
//     Skipping also means a request that read a session just before another
//     instance deleted it (logout) does not write it back.
//   - It runs its queries with the request's context.
//
// To recognise an unchanged session, Commit needs what Find read in the same
// request; Track gives the request a place to keep it.
type SessionStore struct {
	db         *pgxpool.Pool
	touchEvery time.Duration
	codec      scs.Codec
}

// NewSessionStore returns a store that moves a session's idle expiry at most
// once per touchEvery.
func NewSessionStore(db *pgxpool.Pool, touchEvery time.Duration) *SessionStore {
	return &SessionStore{db: db, touchEvery: touchEvery, codec: SessionCodec{}}
}

type readSessionKey struct{}

// readSession is what Find read for this request.
type readSession struct {
	token  string
	data   []byte
	expiry time.Time
}

// Track must run before the session manager's LoadAndSave.
func (s *SessionStore) Track(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), readSessionKey{}, &readSession{})
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

func readFrom(ctx context.Context) *readSession {
	rs, _ := ctx.Value(readSessionKey{}).(*readSession)
	return rs
}

// FindCtx returns the session data for token, if it has not expired.
func (s *SessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	var data []byte
	var expiry time.Time
	err := s.db.QueryRow(ctx, `SELECT data, expiry FROM sessions WHERE token = $1 AND now() < expiry`, token).Scan(&data, &expiry)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("session: find: %w", err)
	}
	if rs := readFrom(ctx); rs != nil {
		*rs = readSession{token: token, data: data, expiry: expiry}
	}
	return data, true, nil
}

// CommitCtx writes the session, unless only its idle expiry would move and
// by less than touchEvery.
func (s *SessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	rs := readFrom(ctx)
	if rs != nil && rs.token == token && expiry.Sub(rs.expiry) < s.touchEvery && s.same(rs.data, b) {
		return nil
	}
	// The write does not wait for its commit to reach disk
	// (synchronous_commit off, for this one transaction): a database crash
	// in the fraction of a second before the WAL writer flushes it loses at
	// most a flash message, a moved idle expiry or a fresh login, while every
	// form post that also writes its session saves a disk flush. Deleting a
	// session (logout, a renewed token) stays synchronous: that one must
	// survive a crash.
	if _, err := s.db.Exec(ctx, `
		WITH async AS (SELECT set_config('synchronous_commit', 'off', true))
		INSERT INTO sessions (token, data, expiry) SELECT $1, $2, $3 FROM async
		ON CONFLICT (token) DO UPDATE SET data = EXCLUDED.data, expiry = EXCLUDED.expiry`, token, b, expiry); err != nil {
		return fmt.Errorf("session: commit: %w", err)
	}
	if rs != nil {
		*rs = readSession{token: token, data: b, expiry: expiry}
	}
	return nil
}

// same reports whether two encodings hold the same session. Gob writes a
// map in Go's random iteration order, so equal sessions can differ in bytes.
func (s *SessionStore) same(a, b []byte) bool {
	if bytes.Equal(a, b) {
		return true
	}
	da, va, err := s.codec.Decode(a)
	if err != nil {
		return false
	}
	db, vb, err := s.codec.Decode(b)
	if err != nil {
		return false
	}
	return da.Equal(db) && reflect.DeepEqual(va, vb)
}

// DeleteCtx removes the session (logout, password change elsewhere).
func (s *SessionStore) DeleteCtx(ctx context.Context, token string) error {
	if _, err := s.db.Exec(ctx, `DELETE FROM sessions WHERE token = $1`, token); err != nil {
		return fmt.Errorf("session: delete: %w", err)
	}
	return nil
}

// The context-free methods scs.Store requires; scs calls the Ctx variants.

// Find is FindCtx without a request.
func (s *SessionStore) Find(token string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), token)
}

// Commit is CommitCtx without a request: always written.
func (s *SessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), token, b, expiry)
}

// Delete is DeleteCtx without a request.
func (s *SessionStore) Delete(token string) error {
	return s.DeleteCtx(context.Background(), token)
}

// Sweep deletes the sessions that have expired.
func (s *SessionStore) Sweep(ctx context.Context) (int64, error) {
	tag, err := s.db.Exec(ctx, `DELETE FROM sessions WHERE expiry < now()`)
	if err != nil {
		return 0, fmt.Errorf("session: sweep: %w", err)
	}
	return tag.RowsAffected(), nil
}

// EndAccountSessions deletes every session of account id inside tx (a
// suspension ends them all at once). Sessions keep the account only in
// their encoded data, so each live one is decoded; suspensions are rare and
// this keeps the sessions table as scs wants it.
func (s *SessionStore) EndAccountSessions(ctx context.Context, tx pgx.Tx, id int64) (int64, error) {
	rows, err := tx.Query(ctx, `SELECT token, data FROM sessions WHERE now() < expiry FOR UPDATE`)
	if err != nil {
		return 0, fmt.Errorf("session: end sessions of %d: %w", id, err)
	}
	var tokens []string
	for rows.Next() {
		var token string
		var data []byte
		if err := rows.Scan(&token, &data); err != nil {
			rows.Close()
			return 0, fmt.Errorf("session: end sessions of %d: %w", id, err)
		}
		if _, values, err := s.codec.Decode(data); err == nil {
			if v, ok := values[sessionUserID].(int64); ok && v == id {
				tokens = append(tokens, token)
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("session: end sessions of %d: %w", id, err)
	}
	if len(tokens) == 0 {
		return 0, nil
	}
	tag, err := tx.Exec(ctx, `DELETE FROM sessions WHERE token = ANY($1::text[])`, tokens)
	if err != nil {
		return 0, fmt.Errorf("session: end sessions of %d: %w", id, err)
	}
	return tag.RowsAffected(), nil
}
