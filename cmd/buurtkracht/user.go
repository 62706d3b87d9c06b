package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/buurtkracht/buurtkracht/internal/account"
	"github.com/buurtkracht/buurtkracht/internal/postgres"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/validate"
)

func init() {
	commands["user"] = command{
		summary: "account aanmaken, bijvoorbeeld de eerste beheerder",
		usage: `user create --email E-MAIL --name NAAM --role ROL [opties]

  --email E-MAIL          e-mailadres (verplicht, uniek)
  --name NAAM             naam zoals anderen die zien (verplicht)
  --role ROL              rol: resident/bewoner, worker/opbouwwerker, officer/gemeente
                          of admin/beheerder; meerdere rollen met komma's (admin,worker).
                          Iedereen is ook bewoner.
  --password-stdin        lees het wachtwoord van de eerste regel van stdin;
                          zonder deze optie maken we een sterk wachtwoord en tonen het één keer
  --municipality GMxxxx   gemeente van een gemeentemedewerker (CBS-code)
  --work-areas BU..,BU..  werkgebied van een opbouwwerker (CBS-buurtcodes)

Zonder --municipality of --work-areas kun je die later instellen in /beheer/accounts.
Voorbeeld: echo 'lange geheime zin' | buurtkracht user create --email beheer@gemeente.nl --name Beheer --role beheerder --password-stdin`,
		run: userCmd,
	}
}

// stdin is where --password-stdin reads; tests replace it.
var stdin io.Reader = os.Stdin

func userCmd(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		return errUsage
	}
	fs := newFlagSet("user create", e.stderr)
	email := fs.String("email", "", "")
	name := fs.String("name", "", "")
	roleArg := fs.String("role", "", "")
	fromStdin := fs.Bool("password-stdin", false, "")
	muniCode := fs.String("municipality", "", "")
	areaArg := fs.String("work-areas", "", "")
	fs.Usage = func() {}
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() != 0 {
		return errUsage
	}

	errs := validate.Errors{}
	n := account.NewAccount{Email: errs.Email("email", *email), DisplayName: errs.Text("name", *name, validate.Rule{Required: true, Max: 100}), Confirmed: true}
	var a account.Assignment
	if strings.TrimSpace(*roleArg) == "" {
		errs.Add("role", "geef een rol op met --role")
	}
	for _, r := range strings.Split(*roleArg, ",") {
		if r = strings.ToLower(strings.TrimSpace(r)); r == "" {
			continue
		}
		ro, ok := role.Parse(r)
		if !ok {
			errs.Add("role", fmt.Sprintf("onbekende rol %q (kies uit resident/bewoner, worker/opbouwwerker, officer/gemeente, admin/beheerder)", r))
			continue
		}
		a.Roles = append(a.Roles, ro)
	}
	var codes []string
	for _, c := range strings.Split(*areaArg, ",") {
		if c = strings.ToUpper(strings.TrimSpace(c)); c != "" {
			codes = append(codes, c)
		}
	}
	if len(codes) > 0 && !slices.Contains(a.Roles, role.Worker) {
		errs.Add("work-areas", "--work-areas geldt alleen voor de rol worker/opbouwwerker")
	}
	if *muniCode != "" && !slices.Contains(a.Roles, role.Officer) {
		errs.Add("municipality", "--municipality geldt alleen voor de rol officer/gemeente")
	}
	if !errs.Valid() {
		for _, f := range []string{"email", "name", "role", "work-areas", "municipality"} {
			if m := errs.Get(f); m != "" {
				fmt.Fprintf(e.stderr, "--%s: %s\n", f, m)
			}
		}
		return errUsage
	}

	password, generated := "", false
	if *fromStdin {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("wachtwoord lezen: %w", err)
		}
		password = strings.TrimRight(line, "\r\n")
		if msg := account.PasswordProblem(password, n.Email, n.DisplayName); msg != "" {
			return errors.New(msg)
		}
	} else {
		password, generated = rand.Text(), true // 26 characters, 130 bits
	}
	hash, err := account.HashPassword(password)
	if err != nil {
		return err
	}
	n.PasswordHash = hash

	url := e.directURL()
	if err := postgres.EnsureDatabase(ctx, url); err != nil {
		return err
	}
	if err := postgres.MigrateUp(url); err != nil {
		return fmt.Errorf("database %s: %w", redactURL(url), err)
	}
	pool, err := postgres.Open(ctx, url)
	if err != nil {
		return err
	}
	defer pool.Close()
	store := account.NewStore(pool)
	if *muniCode != "" {
		m, err := store.MunicipalityByCode(ctx, strings.ToUpper(strings.TrimSpace(*muniCode)))
		if errors.Is(err, account.ErrNotFound) {
			return fmt.Errorf("gemeente %s bestaat niet; importeer eerst de CBS-gegevens (buurtkracht import cbs --embedded)", *muniCode)
		}
		if err != nil {
			return err
		}
		a.MunicipalityID = &m.ID
	}
	if len(codes) > 0 {
		ids, unknown, err := store.NeighbourhoodIDsByCode(ctx, codes)
		if err != nil {
			return err
		}
		if len(unknown) > 0 {
			return fmt.Errorf("onbekende buurtcode(s): %s", strings.Join(unknown, ", "))
		}
		a.WorkAreas = ids
	}
	acc, err := store.CreateAssigned(ctx, n, a)
	if errors.Is(err, account.ErrDuplicateEmail) {
		return fmt.Errorf("er is al een account met e-mailadres %s", n.Email)
	}
	if err != nil {
		return err
	}
	labels := make([]string, len(acc.Roles))
	for i, r := range acc.Roles {
		labels[i] = role.Label(r)
	}
	fmt.Fprintf(e.stdout, "Account %d aangemaakt: %s (%s), rollen: %s.\n", acc.ID, acc.Email, acc.DisplayName, strings.Join(labels, ", "))
	if generated {
		fmt.Fprintf(e.stdout, "Wachtwoord (wordt alleen nu getoond, bewaar het veilig): %s\n", password)
	}
	var todo []string
	if acc.Has(role.Worker) && len(a.WorkAreas) == 0 {
		todo = append(todo, "het werkgebied (buurten) van deze opbouwwerker")
	}
	if acc.Has(role.Officer) && a.MunicipalityID == nil {
		todo = append(todo, "de gemeente van deze gemeentemedewerker")
	}
	if len(todo) > 0 {
		fmt.Fprintf(e.stdout, "Nog te doen: stel %s in via %s/beheer/accounts/%d.\n", strings.Join(todo, " en "), e.cfg.BaseURL, acc.ID)
	}
	return nil
}
