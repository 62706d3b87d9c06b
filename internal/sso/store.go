package sso

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/buurtkracht/buurtkracht/internal/audit"
)

// Store owns the SQL of the providers and their domains.
type Store struct{ db *pgxpool.Pool }

// NewStore returns a store on db.
func NewStore(db *pgxpool.Pool) *Store { return &Store{db: db} }

const providerSelect = `
	SELECT p.id, p.organisation_id, p.municipality_id, COALESCE(o.name, m.name, ''), p.display_name, p.issuer,
	       p.client_id, p.client_secret,
	       COALESCE((SELECT array_agg(d.domain ORDER BY d.domain) FROM sso_domains d WHERE d.provider_id = p.id), '{}'),
	       p.password_login, p.trust_mfa
	FROM sso_providers p
	LEFT JOIN organisations o ON o.id = p.organisation_id
	LEFT JOIN municipalities m ON m.id = p.municipality_id`

func scanProvider(row pgx.CollectableRow) (Provider, error) {
	var p Provider
	err := row.Scan(&p.ID, &p.OrganisationID, &p.MunicipalityID, &p.Owner, &p.DisplayName, &p.Issuer,
		&p.ClientID, &p.ClientSecret, &p.Domains, &p.PasswordLogin, &p.TrustMFA)
	return p, err
}

func (s *Store) one(ctx context.Context, where string, arg any) (Provider, error) {
	rows, err := s.db.Query(ctx, providerSelect+" "+where, arg)
	if err != nil {
		return Provider{}, fmt.Errorf("sso: provider: %w", err)
	}
	p, err := pgx.CollectExactlyOneRow(rows, scanProvider)
	if errors.Is(err, pgx.ErrNoRows) {
		return Provider{}, ErrNotFound
	}
	if err != nil {
		return Provider{}, fmt.Errorf("sso: provider: %w", err)
	}
	return p, nil
}

// List returns every provider, by display name.
func (s *Store) List(ctx context.Context) ([]Provider, error) {
	rows, err := s.db.Query(ctx, providerSelect+` ORDER BY lower(p.display_name), p.id`)
	if err != nil {
		return nil, fmt.Errorf("sso: providers: %w", err)
	}
	list, err := pgx.CollectRows(rows, scanProvider)
	if err != nil {
		return nil, fmt.Errorf("sso: providers: %w", err)
	}
	return list, nil
}

// ByID returns one provider.
func (s *Store) ByID(ctx context.Context, id int64) (Provider, error) {
	return s.one(ctx, `WHERE p.id = $1`, id)
}

// ByDomain returns the provider of an e-mail domain.
func (s *Store) ByDomain(ctx context.Context, domain string) (Provider, error) {
	return s.one(ctx, `WHERE p.id = (SELECT provider_id FROM sso_domains WHERE domain = lower($1))`, domain)
}

// PasswordRefused reports whether accounts in domain must sign in through
// their provider.
func (s *Store) PasswordRefused(ctx context.Context, domain string) (bool, error) {
	var refused bool
	err := s.db.QueryRow(ctx, `
		SELECT EXISTS (SELECT 1 FROM sso_domains d JOIN sso_providers p ON p.id = d.provider_id
		               WHERE d.domain = lower($1) AND NOT p.password_login)`, domain).Scan(&refused)
	if err != nil {
		return false, fmt.Errorf("sso: password refused: %w", err)
	}
	return refused, nil
}

// Owner is an organisation or municipality a provider can belong to.
type Owner struct {
	ID   int64
	Name string
}

// Owners lists the organisations and municipalities, each by name.
func (s *Store) Owners(ctx context.Context) (orgs, municipalities []Owner, err error) {
	rows, err := s.db.Query(ctx, `SELECT id, name FROM organisations ORDER BY lower(name)`)
	if err != nil {
		return nil, nil, fmt.Errorf("sso: organisations: %w", err)
	}
	if orgs, err = pgx.CollectRows(rows, pgx.RowToStructByPos[Owner]); err != nil {
		return nil, nil, fmt.Errorf("sso: organisations: %w", err)
	}
	rows, err = s.db.Query(ctx, `SELECT id, name FROM municipalities ORDER BY name, code`)
	if err != nil {
		return nil, nil, fmt.Errorf("sso: municipalities: %w", err)
	}
	if municipalities, err = pgx.CollectRows(rows, pgx.RowToStructByPos[Owner]); err != nil {
		return nil, nil, fmt.Errorf("sso: municipalities: %w", err)
	}
	return orgs, municipalities, nil
}

// DomainConflict is ErrDomainTaken with the domains that are taken.
type DomainConflict struct{ Domains []string }

func (e DomainConflict) Error() string {
	return "sso: domains of another provider: " + strings.Join(e.Domains, ", ")
}

// Unwrap makes errors.Is(err, ErrDomainTaken) hold.
func (e DomainConflict) Unwrap() error { return ErrDomainTaken }

// Save creates (p.ID == 0) or updates a provider with its domains, and
// records the change in the audit trail, in one transaction. It returns the
// provider's id. A domain of another provider gives a DomainConflict.
func (s *Store) Save(ctx context.Context, actorID int64, p Provider) (int64, error) {
	id := p.ID
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var taken []string
		if err := tx.QueryRow(ctx, `SELECT COALESCE(array_agg(domain ORDER BY domain), '{}') FROM sso_domains
			WHERE domain = ANY($1) AND provider_id <> $2`, p.Domains, p.ID).Scan(&taken); err != nil {
			return err
		}
		if len(taken) > 0 {
			return DomainConflict{Domains: taken}
		}
		action := "sso.update"
		if id == 0 {
			action = "sso.create"
			if err := tx.QueryRow(ctx, `
				INSERT INTO sso_providers (organisation_id, municipality_id, display_name, issuer, client_id, client_secret,
				                           password_login, trust_mfa)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
				p.OrganisationID, p.MunicipalityID, p.DisplayName, p.Issuer, p.ClientID, p.ClientSecret,
				p.PasswordLogin, p.TrustMFA).Scan(&id); err != nil {
				return err
			}
		} else {
			tag, err := tx.Exec(ctx, `
				UPDATE sso_providers SET organisation_id = $2, municipality_id = $3, display_name = $4, issuer = $5,
				       client_id = $6, client_secret = $7, password_login = $8, trust_mfa = $9, updated_at = now()
				WHERE id = $1`,
				id, p.OrganisationID, p.MunicipalityID, p.DisplayName, p.Issuer, p.ClientID, p.ClientSecret,
				p.PasswordLogin, p.TrustMFA)
			if err != nil {
				return err
			}
			if tag.RowsAffected() == 0 {
				return ErrNotFound
			}
			if _, err := tx.Exec(ctx, `DELETE FROM sso_domains WHERE provider_id = $1 AND NOT (domain = ANY($2))`, id, p.Domains); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO sso_domains (domain, provider_id) SELECT unnest($1::text[]), $2
			ON CONFLICT (domain) DO NOTHING`, p.Domains, id); err != nil {
			return err
		}
		// The secret itself never goes into the trail; only how it is kept.
		detail := fmt.Sprintf("naam=%q issuer=%s client_id=%s domeinen=%s wachtwoord=%t mfa_vertrouwd=%t geheim=%s",
			p.DisplayName, p.Issuer, p.ClientID, strings.Join(p.Domains, ","), p.PasswordLogin, p.TrustMFA,
			strings.SplitN(p.ClientSecret, ":", 2)[0])
		return audit.RecordTx(ctx, tx, actorID, action, "sso_provider", id, detail)
	})
	if err != nil {
		var conflict DomainConflict
		if errors.As(err, &conflict) || errors.Is(err, ErrNotFound) {
			return 0, err
		}
		return 0, fmt.Errorf("sso: save provider: %w", err)
	}
	return id, nil
}

// Delete removes a provider (its domains go with it) and records it.
func (s *Store) Delete(ctx context.Context, actorID, id int64) error {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var name string
		err := tx.QueryRow(ctx, `DELETE FROM sso_providers WHERE id = $1 RETURNING display_name`, id).Scan(&name)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		return audit.RecordTx(ctx, tx, actorID, "sso.delete", "sso_provider", id, fmt.Sprintf("naam=%q", name))
	})
	if err != nil && !errors.Is(err, ErrNotFound) {
		return fmt.Errorf("sso: delete provider: %w", err)
	}
	return err
}
