package account

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/buurtkracht/buurtkracht/internal/audit"
	"github.com/buurtkracht/buurtkracht/internal/fault"
	"github.com/buurtkracht/buurtkracht/internal/postgres"
	"github.com/buurtkracht/buurtkracht/internal/role"
)

// Errors of the administration.
var (
	ErrDuplicateOrganisation = fault.Wrap(fault.ErrConflict, "account: organisation name taken")
	ErrUnknownChoice         = fault.Wrap(fault.ErrInvalid, "account: organisation, municipality or neighbourhood does not exist")
)

// Overview counts what the administration overview shows, in one query.
type Overview struct {
	Accounts, Workers, Officers, Admins, Organisations, AuditEntries int
}

// Overview counts accounts per role, organisations and audit entries.
func (s *Store) Overview(ctx context.Context) (Overview, error) {
	var o Overview
	err := s.db.QueryRow(ctx, `
		SELECT count(*), count(*) FILTER (WHERE roles @> '{worker}'), count(*) FILTER (WHERE roles @> '{officer}'),
		       count(*) FILTER (WHERE roles @> '{admin}'),
		       (SELECT count(*) FROM organisations), (SELECT count(*) FROM audit_log)
		FROM accounts`).Scan(&o.Accounts, &o.Workers, &o.Officers, &o.Admins, &o.Organisations, &o.AuditEntries)
	if err != nil {
		return Overview{}, fmt.Errorf("account: overview: %w", err)
	}
	return o, nil
}

// AccountRow is one line of the account list.
type AccountRow struct {
	ID          int64
	Email       string
	DisplayName string
	Roles       []role.Role
	CreatedAt   time.Time
	LastLoginAt *time.Time
}

// AccountFilter selects accounts: a search text matched against the start
// of the e-mail address and the start of any word of the name, and a role.
type AccountFilter struct {
	Query string
	Role  role.Role // "" for all
}

// SearchAccounts returns one page of accounts matching f, ordered by name,
// and the number of matches.
func (s *Store) SearchAccounts(ctx context.Context, f AccountFilter, limit, offset int) ([]AccountRow, int, error) {
	q := strings.ToLower(strings.TrimSpace(f.Query))
	rows, err := s.db.Query(ctx, `
		SELECT id, email::text, display_name, roles, created_at, last_login_at, count(*) OVER ()
		FROM accounts
		WHERE ($1 = '' OR lower(email::text) LIKE $2
		       OR ($3 <> '' AND to_tsvector('simple', display_name) @@ to_tsquery('simple', $3)))
		  AND ($4 = '' OR roles @> ARRAY[$4]::text[])
		ORDER BY lower(display_name), id
		LIMIT $5 OFFSET $6`, q, likePrefix(q), wordPrefixQuery(q), f.Role, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("account: search: %w", err)
	}
	total := 0
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (AccountRow, error) {
		var a AccountRow
		err := row.Scan(&a.ID, &a.Email, &a.DisplayName, &a.Roles, &a.CreatedAt, &a.LastLoginAt, &total)
		return a, err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("account: search: %w", err)
	}
	return list, total, nil
}

// likePrefix turns s into a LIKE pattern matching strings that start with s.
func likePrefix(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s) + "%"
}

// wordPrefixQuery builds a tsquery that matches names having a word starting
// with each word of s. Only letters and digits pass, so the result cannot
// carry tsquery operators.
func wordPrefixQuery(s string) string {
	words := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	for i, w := range words {
		words[i] = w + ":*"
	}
	return strings.Join(words, " & ")
}

// Organisation is a welfare organisation, housing corporation, library...
type Organisation struct {
	ID      int64
	Name    string
	Kind    OrganisationKind
	Members int // accounts linked to it
}

// OrganisationKind is what sort of organisation it is; the values are
// those of the table's CHECK constraint.
type OrganisationKind string

// The kinds of organisation.
const (
	OrgWelfare      OrganisationKind = "welzijn"
	OrgHousing      OrganisationKind = "woningcorporatie"
	OrgAssociation  OrganisationKind = "vereniging"
	OrgLibrary      OrganisationKind = "bibliotheek"
	OrgSchool       OrganisationKind = "school"
	OrgMunicipality OrganisationKind = "gemeente"
	OrgFund         OrganisationKind = "fonds" // a charitable fund (funder, issue 12)
	OrgOther        OrganisationKind = "overig"
)

// OrganisationKinds are the kinds an organisation can be, in display order.
var OrganisationKinds = []OrganisationKind{OrgWelfare, OrgHousing, OrgAssociation, OrgLibrary, OrgSchool, OrgMunicipality, OrgFund, OrgOther}

// Label is the Dutch name of k.
func (k OrganisationKind) Label() string {
	switch k {
	case OrgWelfare:
		return "Welzijnsorganisatie"
	case OrgHousing:
		return "Woningcorporatie"
	case OrgAssociation:
		return "Vereniging"
	case OrgLibrary:
		return "Bibliotheek"
	case OrgSchool:
		return "School"
	case OrgMunicipality:
		return "Gemeente"
	case OrgFund:
		return "Fonds"
	case OrgOther:
		return "Overig"
	}
	return string(k)
}

// Organisations lists every organisation with its number of accounts.
func (s *Store) Organisations(ctx context.Context) ([]Organisation, error) {
	rows, err := s.db.Query(ctx, `
		SELECT o.id, o.name, o.kind, count(a.id)
		FROM organisations o LEFT JOIN accounts a ON a.organisation_id = o.id
		GROUP BY o.id ORDER BY lower(o.name)`)
	if err != nil {
		return nil, fmt.Errorf("account: organisations: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Organisation, error) {
		var o Organisation
		err := row.Scan(&o.ID, &o.Name, &o.Kind, &o.Members)
		return o, err
	})
	if err != nil {
		return nil, fmt.Errorf("account: organisations: %w", err)
	}
	return list, nil
}

// CreateOrganisation adds an organisation; a taken name gives
// ErrDuplicateOrganisation.
func (s *Store) CreateOrganisation(ctx context.Context, name string, kind OrganisationKind) (int64, error) {
	var id int64
	err := s.db.QueryRow(ctx, `INSERT INTO organisations (name, kind) VALUES ($1, $2) RETURNING id`, name, kind).Scan(&id)
	if postgres.IsUniqueViolation(err, "organisations_name_key") {
		return 0, ErrDuplicateOrganisation
	}
	if err != nil {
		return 0, fmt.Errorf("account: create organisation: %w", err)
	}
	return id, nil
}

// Municipality is a gemeente.
type Municipality struct {
	ID   int64
	Code string
	Name string
}

// Municipalities lists all municipalities by name.
func (s *Store) Municipalities(ctx context.Context) ([]Municipality, error) {
	rows, err := s.db.Query(ctx, `SELECT id, code, name FROM municipalities ORDER BY name, code`)
	if err != nil {
		return nil, fmt.Errorf("account: municipalities: %w", err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[Municipality])
	if err != nil {
		return nil, fmt.Errorf("account: municipalities: %w", err)
	}
	return list, nil
}

// MunicipalityByCode finds a municipality by its CBS code (GM0344).
func (s *Store) MunicipalityByCode(ctx context.Context, code string) (Municipality, error) {
	var m Municipality
	err := s.db.QueryRow(ctx, `SELECT id, code, name FROM municipalities WHERE code = $1`, code).Scan(&m.ID, &m.Code, &m.Name)
	if errors.Is(err, pgx.ErrNoRows) {
		return Municipality{}, ErrNotFound
	}
	if err != nil {
		return Municipality{}, fmt.Errorf("account: municipality %s: %w", code, err)
	}
	return m, nil
}

// NeighbourhoodsOf lists the neighbourhoods of a municipality, grouped by
// district, plus the neighbourhoods with the given ids elsewhere (a worker's
// current work areas), so one list holds every checkbox of the form.
func (s *Store) NeighbourhoodsOf(ctx context.Context, municipalityID int64, also []int64) ([]Place, error) {
	rows, err := s.db.Query(ctx, `
		SELECT n.id, n.code, n.name, d.name, m.name
		FROM neighbourhoods n
		JOIN districts d ON d.id = n.district_id
		JOIN municipalities m ON m.id = n.municipality_id
		WHERE n.municipality_id = $1 OR n.id = ANY($2::bigint[])
		ORDER BY n.municipality_id <> $1, m.name, d.name, n.name`, municipalityID, also)
	if err != nil {
		return nil, fmt.Errorf("account: neighbourhoods of %d: %w", municipalityID, err)
	}
	return collectPlaces(rows)
}

// NeighbourhoodIDsByCode resolves CBS neighbourhood codes; unknown codes are
// returned separately.
func (s *Store) NeighbourhoodIDsByCode(ctx context.Context, codes []string) ([]int64, []string, error) {
	rows, err := s.db.Query(ctx, `SELECT c, n.id FROM unnest($1::text[]) c LEFT JOIN neighbourhoods n ON n.code = c`, codes)
	if err != nil {
		return nil, nil, fmt.Errorf("account: neighbourhoods by code: %w", err)
	}
	defer rows.Close()
	var ids []int64
	var unknown []string
	for rows.Next() {
		var code string
		var id *int64
		if err := rows.Scan(&code, &id); err != nil {
			return nil, nil, fmt.Errorf("account: neighbourhoods by code: %w", err)
		}
		if id == nil {
			unknown = append(unknown, code)
		} else {
			ids = append(ids, *id)
		}
	}
	return ids, unknown, rows.Err()
}

// Assignment is what an administrator sets on an account.
type Assignment struct {
	Roles          []role.Role
	OrganisationID *int64
	MunicipalityID *int64 // officers only
	WorkAreas      []int64
}

// Assign sets roles, organisation, municipality and work areas in one
// transaction and records it in the audit log. Work areas are kept only for
// workers and the municipality only for officers. Unknown ids give
// ErrUnknownChoice. Taking away any role ends all the account's API tokens:
// a token was made under the old roles, and one given back later must not
// wake it up again (the viewer's roles are read fresh on every request, so
// the role itself is gone at once either way).
func (s *Store) Assign(ctx context.Context, actorID, accountID int64, a Assignment, detail string) error {
	a.Roles = normaliseRoles(a.Roles)
	if !slices.Contains(a.Roles, role.Officer) {
		a.MunicipalityID = nil
	}
	if !slices.Contains(a.Roles, role.Worker) {
		a.WorkAreas = nil
	}
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		// The old roles under a row lock, so two administrators saving at
		// once cannot both miss a lost role.
		var lost bool
		err := tx.QueryRow(ctx, `SELECT NOT (roles <@ $2::text[]) FROM accounts WHERE id = $1 FOR UPDATE`,
			accountID, a.Roles).Scan(&lost)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE accounts SET roles = $2, organisation_id = $3, municipality_id = $4 WHERE id = $1`,
			accountID, a.Roles, a.OrganisationID, a.MunicipalityID); err != nil {
			return err
		}
		if lost {
			if err := endAPITokens(ctx, tx, accountID); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `DELETE FROM account_work_areas WHERE account_id = $1`, accountID); err != nil {
			return err
		}
		if len(a.WorkAreas) > 0 {
			tag, err := tx.Exec(ctx, `INSERT INTO account_work_areas (account_id, neighbourhood_id)
				SELECT $1, id FROM neighbourhoods WHERE id = ANY($2::bigint[])`, accountID, a.WorkAreas)
			if err != nil {
				return err
			}
			if int(tag.RowsAffected()) != len(uniqueIDs(a.WorkAreas)) {
				return ErrUnknownChoice
			}
		}
		return audit.RecordTx(ctx, tx, actorID, "account.roles", "account", accountID, detail)
	})
	switch {
	case errors.Is(err, ErrNotFound), errors.Is(err, ErrUnknownChoice):
		return err
	case isForeignKeyViolation(err):
		return ErrUnknownChoice
	case err != nil:
		return fmt.Errorf("account: assign %d: %w", accountID, err)
	}
	return nil
}

// normaliseRoles keeps known roles once each, in role.All order, always
// including resident.
func normaliseRoles(roles []role.Role) []role.Role {
	out := []role.Role{role.Resident}
	for _, r := range role.All[1:] {
		if slices.Contains(roles, r) {
			out = append(out, r)
		}
	}
	return out
}

// isForeignKeyViolation reports a reference to a row that does not exist
// (an organisation or municipality removed meanwhile).
func isForeignKeyViolation(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23503"
}

func uniqueIDs(ids []int64) map[int64]bool {
	m := make(map[int64]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

// AuditRow is one line of the audit log as administrators read it.
type AuditRow struct {
	At          time.Time
	ActorID     *int64
	Actor       string
	Action      string
	SubjectType string
	SubjectID   *int64
	Subject     string // the subject account's name when it is an account
	Detail      string
}

// AuditLog returns one page of the audit log, newest first, and its length.
func (s *Store) AuditLog(ctx context.Context, limit, offset int) ([]AuditRow, int, error) {
	var total int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM audit_log`).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("account: audit count: %w", err)
	}
	rows, err := s.db.Query(ctx, `
		SELECT l.at, l.actor_id, COALESCE(a.display_name, ''), l.action, l.subject_type, l.subject_id,
		       COALESCE(sa.display_name, ''), l.detail
		FROM audit_log l
		LEFT JOIN accounts a ON a.id = l.actor_id
		LEFT JOIN accounts sa ON l.subject_type = 'account' AND sa.id = l.subject_id
		ORDER BY l.at DESC, l.id DESC
		LIMIT $1 OFFSET $2`, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("account: audit log: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (AuditRow, error) {
		var e AuditRow
		err := row.Scan(&e.At, &e.ActorID, &e.Actor, &e.Action, &e.SubjectType, &e.SubjectID, &e.Subject, &e.Detail)
		return e, err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("account: audit log: %w", err)
	}
	return list, total, nil
}

// CreateAssigned creates an account with roles, municipality and work areas
// in one transaction (the CLI's `user create`). A taken e-mail address gives
// ErrDuplicateEmail, an unknown neighbourhood ErrUnknownChoice.
func (s *Store) CreateAssigned(ctx context.Context, n NewAccount, a Assignment) (Account, error) {
	a.Roles = normaliseRoles(append(a.Roles, n.Roles...))
	if !slices.Contains(a.Roles, role.Officer) {
		a.MunicipalityID = nil
	}
	if !slices.Contains(a.Roles, role.Worker) {
		a.WorkAreas = nil
	}
	var acc Account
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var err error
		acc, err = scanAccount(tx.QueryRow(ctx, `
			INSERT INTO accounts (email, display_name, password_hash, roles, home_neighbourhood_id, organisation_id, municipality_id, email_confirmed_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, now())
			RETURNING `+accountColumns,
			n.Email, n.DisplayName, n.PasswordHash, a.Roles, n.HomeNeighbourhoodID, a.OrganisationID, a.MunicipalityID))
		if err != nil {
			return err
		}
		if len(a.WorkAreas) > 0 {
			tag, err := tx.Exec(ctx, `INSERT INTO account_work_areas (account_id, neighbourhood_id)
				SELECT $1, id FROM neighbourhoods WHERE id = ANY($2::bigint[])`, acc.ID, a.WorkAreas)
			if err != nil {
				return err
			}
			if int(tag.RowsAffected()) != len(uniqueIDs(a.WorkAreas)) {
				return ErrUnknownChoice
			}
		}
		return nil
	})
	switch {
	case postgres.IsUniqueViolation(err, "accounts_email_key"):
		return Account{}, ErrDuplicateEmail
	case errors.Is(err, ErrUnknownChoice):
		return Account{}, err
	case isForeignKeyViolation(err):
		return Account{}, ErrUnknownChoice
	case err != nil:
		return Account{}, fmt.Errorf("account: create assigned: %w", err)
	}
	return acc, nil
}
