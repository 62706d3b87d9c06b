package photo

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/buurtkracht/buurtkracht/internal/fault"
)

// The store's refusals.
var (
	ErrNotFound  = fault.Wrap(fault.ErrNotFound, "photo: not found")
	ErrForbidden = fault.Wrap(fault.ErrForbidden, "photo: not an owner")
	ErrFull      = fault.Wrap(fault.ErrConflict, "photo: subject has the maximum number of photos")
)

// Store owns the photo SQL.
type Store struct{ db *pgxpool.Pool }

// NewStore returns a store on db.
func NewStore(db *pgxpool.Pool) *Store { return &Store{db: db} }

type querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Viewer is who asks: an account id (0 when anonymous) and whether they
// are an administrator.
type Viewer struct {
	ID    int64
	Admin bool
}

func subject(ctx context.Context, q querier, k Kind, id int64, v Viewer) (Subject, error) {
	def, ok := kinds[k]
	if !ok {
		return Subject{}, ErrNotFound
	}
	s := Subject{Kind: k, ID: id}
	err := q.QueryRow(ctx, def.subject, id, v.ID, v.Admin).Scan(&s.Title, &s.Link, &s.Visible, &s.Public, &s.Manage)
	if errors.Is(err, pgx.ErrNoRows) {
		return Subject{}, ErrNotFound
	}
	if err != nil {
		return Subject{}, fmt.Errorf("photo: subject %s %d: %w", k, id, err)
	}
	return s, nil
}

// Subject returns subject id of kind k as v sees it: callers check
// Visible before they show anything of it.
func (s *Store) Subject(ctx context.Context, k Kind, id int64, v Viewer) (Subject, error) {
	return subject(ctx, s.db, k, id, v)
}

// photoColumns reads a Photo from photos p.
const photoColumns = `p.id, p.alt_text, p.width, p.height, p.hash,
	ARRAY(SELECT v.width FROM photo_variants v WHERE v.photo_id = p.id ORDER BY v.width),
	EXISTS (SELECT 1 FROM photo_variants v WHERE v.photo_id = p.id AND v.content_type = 'image/png'),
	COALESCE(p.uploaded_by, 0), p.hidden_at IS NOT NULL, p.hidden_reason`

func scanPhoto(row pgx.CollectableRow) (Photo, error) {
	var p Photo
	err := row.Scan(&p.ID, &p.Alt, &p.Width, &p.Height, &p.Hash, &p.Widths, &p.PNG, &p.UploadedBy, &p.Hidden, &p.HiddenReason)
	return p, err
}

// List returns the photos of sub in the order they were added; hidden ones
// only when the viewer manages the subject (they see the reason).
func (s *Store) List(ctx context.Context, sub Subject) ([]Photo, error) {
	def := kinds[sub.Kind]
	rows, err := s.db.Query(ctx, `SELECT `+photoColumns+` FROM photos p
		WHERE p.`+def.column+` = $1 AND (p.hidden_at IS NULL OR $2) ORDER BY p.id`, sub.ID, sub.Manage)
	if err != nil {
		return nil, fmt.Errorf("photo: list %s %d: %w", sub.Kind, sub.ID, err)
	}
	out, err := pgx.CollectRows(rows, scanPhoto)
	if err != nil {
		return nil, fmt.Errorf("photo: list %s %d: %w", sub.Kind, sub.ID, err)
	}
	return out, nil
}

// Add stores a processed upload as a photo of subject id of kind k, by v,
// who must manage the subject (checked here, in the transaction). A
// subject has at most MaxPhotos photos: the subject is locked while
// counting, so two uploads at once cannot both take the last place. A
// second submit with the same key adds nothing and reports added false.
func (s *Store) Add(ctx context.Context, k Kind, id int64, v Viewer, alt, key string, p Processed) (added bool, err error) {
	def, ok := kinds[k]
	if !ok || len(p.Variants) == 0 {
		return false, ErrNotFound
	}
	err = pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		// One lock per subject, whatever its table.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('photos:' || $1::text || ':' || $2::bigint))`, string(k), id); err != nil {
			return err
		}
		sub, err := subject(ctx, tx, k, id, v)
		if err != nil {
			return err
		}
		if !sub.Visible {
			return ErrNotFound
		}
		if !sub.Manage {
			return ErrForbidden
		}
		var n int
		var dup bool
		if err := tx.QueryRow(ctx, `SELECT count(*) FILTER (WHERE `+def.column+` = $1), COALESCE(bool_or(idempotency_key = $2::uuid), false)
			FROM photos WHERE `+def.column+` = $1 OR idempotency_key = $2::uuid`, id, key).Scan(&n, &dup); err != nil {
			return err
		}
		if dup {
			return nil
		}
		if n >= MaxPhotos {
			return ErrFull
		}
		var photoID int64
		if err := tx.QueryRow(ctx, `INSERT INTO photos (`+def.column+`, uploaded_by, alt_text, width, height, hash, idempotency_key)
			VALUES ($1, NULLIF($2, 0), $3, $4, $5, $6, $7::uuid) RETURNING id`,
			id, v.ID, alt, p.Width, p.Height, p.Hash, key).Scan(&photoID); err != nil {
			return err
		}
		b := &pgx.Batch{}
		for _, vr := range p.Variants {
			b.Queue(`INSERT INTO photo_variants (photo_id, width, height, content_type, data) VALUES ($1, $2, $3, $4, $5)`,
				photoID, vr.Width, vr.Height, vr.ContentType, vr.Data)
		}
		added = true
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil && !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrForbidden) && !errors.Is(err, ErrFull) {
		return false, fmt.Errorf("photo: add to %s %d: %w", k, id, err)
	}
	return added, err
}

// owner is the subject of photo id: its kind and id.
func owner(ctx context.Context, q querier, id int64) (Kind, int64, error) {
	var k Kind
	var subjectID int64
	err := q.QueryRow(ctx, `SELECT `+subjectOf+` FROM photos p WHERE p.id = $1`, id).Scan(&k, &subjectID)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", 0, ErrNotFound
	}
	if err != nil {
		return "", 0, fmt.Errorf("photo: subject of %d: %w", id, err)
	}
	return k, subjectID, nil
}

// subjectOf is the kind and id of photo p's subject, as two columns.
const subjectOf = `CASE WHEN p.initiative_id IS NOT NULL THEN 'initiatief' WHEN p.asset_id IS NOT NULL THEN 'plek'
	WHEN p.event_id IS NOT NULL THEN 'bijeenkomst' ELSE '' END,
	COALESCE(p.initiative_id, p.asset_id, p.event_id, 0)`

// Remove deletes photo id for v, who must manage its subject (checked
// here, in the transaction), and returns the subject.
func (s *Store) Remove(ctx context.Context, id int64, v Viewer) (Subject, error) {
	var sub Subject
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		k, subjectID, err := owner(ctx, tx, id)
		if err != nil {
			return err
		}
		if sub, err = subject(ctx, tx, k, subjectID, v); err != nil {
			return err
		}
		if !sub.Visible {
			return ErrNotFound
		}
		if !sub.Manage {
			return ErrForbidden
		}
		_, err = tx.Exec(ctx, `DELETE FROM photos WHERE id = $1 AND `+kinds[k].column+` = $2`, id, subjectID)
		return err
	})
	if err != nil && !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrForbidden) {
		return Subject{}, fmt.Errorf("photo: remove %d: %w", id, err)
	}
	return sub, err
}

// Image is one stored width of a photo, ready to serve.
type Image struct {
	ContentType string
	Data        []byte
	// Public: anyone may see it (the subject is public and the photo not
	// hidden), so shared caches may keep it.
	Public bool
}

// Image returns photo id at width w when hash matches and v may see it.
func (s *Store) Image(ctx context.Context, id int64, w int, hash string, v Viewer) (Image, error) {
	var k Kind
	var subjectID int64
	var hidden bool
	var img Image
	err := s.db.QueryRow(ctx, `
		SELECT `+subjectOf+`, p.hidden_at IS NOT NULL, x.content_type, x.data
		FROM photos p JOIN photo_variants x ON x.photo_id = p.id AND x.width = $2
		WHERE p.id = $1 AND p.hash = $3`, id, w, hash).Scan(&k, &subjectID, &hidden, &img.ContentType, &img.Data)
	if errors.Is(err, pgx.ErrNoRows) {
		return Image{}, ErrNotFound
	}
	if err != nil {
		return Image{}, fmt.Errorf("photo: image %d/%d: %w", id, w, err)
	}
	sub, err := subject(ctx, s.db, k, subjectID, v)
	if err != nil {
		return Image{}, err
	}
	if !sub.Visible || (hidden && !sub.Manage) {
		return Image{}, ErrNotFound
	}
	img.Public = sub.Public && !hidden
	return img, nil
}
