package main

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/account"
	"github.com/buurtkracht/buurtkracht/internal/postgres"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

func TestUserCreate(t *testing.T) {
	t.Parallel()
	cfg := testkit.TestConfig()
	cfg.DatabaseURL = testkit.NewDB(t)
	pool, err := postgres.Open(context.Background(), cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	geo := testkit.NewGeo(t, pool)
	geo.Municipality("GM0344", "Utrecht")
	geo.District("WK034401", "Binnenstad")
	geo.Neighbourhood("BU03440101", "Domplein")
	run := func(stdinText string, args ...string) (string, string, error) {
		var out, errOut strings.Builder
		stdin = strings.NewReader(stdinText) // the tests of this function run one at a time
		err := userCmd(context.Background(), &env{cfg: cfg, stdout: &out, stderr: &errOut}, args)
		return out.String(), errOut.String(), err
	}
	store := account.NewStore(pool)

	// A generated password, printed once, that works.
	out, _, err := run("", "create", "--email", "Beheer@Example.nl", "--name", "Eerste beheerder", "--role", "beheerder")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`Wachtwoord \(wordt alleen nu getoond, bewaar het veilig\): (\S+)`).FindStringSubmatch(out)
	if m == nil || len(m[1]) < 20 {
		t.Fatalf("no strong generated password in %q", out)
	}
	acc, err := store.ByEmail(context.Background(), "beheer@example.nl")
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := account.CheckPassword(acc.PasswordHash, m[1]); !ok || !acc.Has(role.Admin) || !acc.Has(role.Resident) {
		t.Fatalf("account %+v: password works %v", acc.Roles, ok)
	}

	// Password from stdin; English role names; a worker with work areas.
	out, _, err = run("een lange geheime zin\n", "create", "--email", "werker@example.nl", "--name", "Werker", "--role", "worker,officer",
		"--password-stdin", "--work-areas", "bu03440101", "--municipality", "GM0344")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out, "Wachtwoord") || strings.Contains(out, "een lange geheime zin") {
		t.Error("password echoed")
	}
	w, _ := store.ByEmail(context.Background(), "werker@example.nl")
	prof, _ := store.Profile(context.Background(), w.ID)
	if ok, _ := account.CheckPassword(w.PasswordHash, "een lange geheime zin"); !ok || len(prof.WorkAreas) != 1 || prof.Municipality != "Utrecht" {
		t.Fatalf("worker: password %v, work areas %v, municipality %q", ok, prof.WorkAreas, prof.Municipality)
	}

	// A worker without work areas is told where to finish.
	out, _, err = run("", "create", "--email", "later@example.nl", "--name", "Later", "--role", "opbouwwerker")
	if err != nil || !strings.Contains(out, "Nog te doen: stel het werkgebied") || !strings.Contains(out, "/beheer/accounts/") {
		t.Fatalf("worker without areas: %v %q", err, out)
	}

	bad := []struct {
		stdin string
		args  []string
		want  string // in the error or on stderr
	}{
		{"", []string{"create", "--email", "beheer@example.nl", "--name", "X", "--role", "admin"}, "er is al een account"},
		{"", []string{"create", "--email", "x@example.nl", "--name", "X", "--role", "koning"}, "onbekende rol"},
		{"", []string{"create", "--email", "x@example.nl", "--name", "X"}, "geef een rol op"},
		{"", []string{"create", "--email", "geen-adres", "--name", "X", "--role", "admin"}, "geldig e-mailadres"},
		{"", []string{"create", "--email", "x@example.nl", "--role", "admin"}, "Vul dit veld in"},
		{"kort\n", []string{"create", "--email", "x@example.nl", "--name", "X", "--role", "admin", "--password-stdin"}, "minstens 10 tekens"},
		{"", []string{"create", "--email", "x@example.nl", "--name", "X", "--role", "worker", "--work-areas", "BU99999999"}, "onbekende buurtcode(s): BU99999999"},
		{"", []string{"create", "--email", "x@example.nl", "--name", "X", "--role", "officer", "--municipality", "GM9999"}, "gemeente GM9999 bestaat niet"},
		{"", []string{"create", "--email", "x@example.nl", "--name", "X", "--role", "admin", "--municipality", "GM0344"}, "geldt alleen voor de rol officer"},
		{"", []string{"delete"}, "usage"},
	}
	for _, tt := range bad {
		_, stderr, err := run(tt.stdin, tt.args...)
		if err == nil {
			t.Errorf("%v: no error", tt.args)
			continue
		}
		if !strings.Contains(err.Error()+stderr, tt.want) {
			t.Errorf("%v: %v / %q, want %q", tt.args, err, stderr, tt.want)
		}
	}
	var n int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM accounts WHERE email = 'x@example.nl'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatal("a refused command created an account")
	}
}

func TestUserHelp(t *testing.T) {
	t.Parallel()
	var out strings.Builder
	if code := run([]string{"user", "--help"}, &out, &out); code != 0 || !strings.Contains(out.String(), "--password-stdin") {
		t.Fatalf("exit %d: %s", code, out.String())
	}
}
