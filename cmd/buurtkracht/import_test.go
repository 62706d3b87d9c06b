package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/demo"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

func testEnv(t *testing.T) (*env, *bytes.Buffer) {
	t.Helper()
	cfg := testkit.TestConfig()
	cfg.DatabaseURL = testkit.NewDB(t)
	var out bytes.Buffer
	return &env{cfg: cfg, stdout: &out, stderr: &out}, &out
}

func TestImportCommand(t *testing.T) {
	t.Parallel()
	e, out := testEnv(t)
	ctx := context.Background()

	if err := importCmd(ctx, e, []string{"cbs", "--embedded"}); err != nil {
		t.Fatalf("import --embedded: %v\n%s", err, out)
	}
	for _, want := range []string{"gemeenten        342 nieuw", "buurten          196 nieuw", "buurtgrenzen     196 nieuw", "kerncijfers      194 nieuw"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	// The same data from files is a no-op.
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	src, err := os.ReadFile(filepath.Join("..", "..", "internal", "neighbourhood", "cbsdata", "buurten_2025_sample.csv"))
	if err != nil {
		t.Fatal(err)
	}
	buurten := write("buurten.csv", string(src))
	out.Reset()
	if err := importCmd(ctx, e, []string{"cbs", "--buurten", buurten}); err != nil {
		t.Fatalf("import --buurten: %v\n%s", err, out)
	}
	if !strings.Contains(out.String(), "buurten            0 nieuw,     0 bijgewerkt,   196 ongewijzigd") {
		t.Errorf("re-import output:\n%s", out)
	}

	// The kerncijfers alone, again: nothing changes.
	kern, err := os.ReadFile(filepath.Join("..", "..", "internal", "neighbourhood", "cbsdata", "kerncijfers_2024_sample.csv"))
	if err != nil {
		t.Fatal(err)
	}
	kerncijfers := write("kerncijfers.csv", string(kern))
	out.Reset()
	if err := importCmd(ctx, e, []string{"cbs", "--kerncijfers", kerncijfers}); err != nil {
		t.Fatalf("import --kerncijfers: %v\n%s", err, out)
	}
	if !strings.Contains(out.String(), "kerncijfers        0 nieuw,     0 bijgewerkt,   194 ongewijzigd") {
		t.Errorf("re-import of kerncijfers:\n%s", out)
	}
	// Figures of a neighbourhood that is not there refuse the whole file.
	unknown := write("kern-onbekend.csv", "buurtcode;jaar;inwoners;huishoudens;leeftijd_0_15;leeftijd_15_25;leeftijd_25_45;leeftijd_45_65;leeftijd_65_plus\n"+
		"BU03440111;2024;1;1;;;;;\nBU99999999;2024;10;5;;;;;\n")
	err = importCmd(ctx, e, []string{"cbs", "--kerncijfers", unknown})
	if err == nil || !strings.Contains(err.Error(), unknown+", regel 3") || !strings.Contains(err.Error(), "BU99999999 is onbekend") {
		t.Errorf("unknown neighbourhood: %v", err)
	}
	if err := importCmd(ctx, e, []string{"cbs", "--embedded", "--kerncijfers", kerncijfers}); err == nil {
		t.Error("--embedded with --kerncijfers accepted")
	}

	// A bad row names file and line and nothing is saved.
	bad := write("fout.csv", "gm_code,wk_code,wk_name,bu_code,bu_name\nGM0344,WK034401,West,BU0344011,Kort\n")
	err = importCmd(ctx, e, []string{"cbs", "--buurten", bad})
	if err == nil || !strings.Contains(err.Error(), bad+", regel 2") || !strings.Contains(err.Error(), "niets opgeslagen") {
		t.Errorf("bad file: %v", err)
	}

	for _, args := range [][]string{{}, {"gemeenten"}, {"cbs"}, {"cbs", "--onbekend"}, {"cbs", "--buurten", buurten, "extra"}} {
		if err := importCmd(ctx, e, args); !errors.Is(err, errUsage) {
			t.Errorf("args %q: err %v, want usage", args, err)
		}
	}
	if err := importCmd(ctx, e, []string{"cbs", "--embedded", "--buurten", buurten}); err == nil {
		t.Error("--embedded with a file accepted")
	}
	if err := importCmd(ctx, e, []string{"cbs", "--buurten", filepath.Join(dir, "bestaat-niet.csv")}); err == nil {
		t.Error("missing file accepted")
	}
}

func TestSeedCommand(t *testing.T) {
	t.Parallel()
	e, out := testEnv(t)
	ctx := context.Background()
	if err := seedCmd(ctx, e, []string{"demo"}); err != nil {
		t.Fatalf("seed demo: %v\n%s", err, out)
	}
	for _, a := range demo.Accounts {
		if !strings.Contains(out.String(), a.Email) {
			t.Errorf("output lacks %s", a.Email)
		}
	}
	if err := seedCmd(ctx, e, []string{"onbekend"}); !errors.Is(err, errUsage) {
		t.Errorf("unknown target: %v", err)
	}
	if err := seedCmd(ctx, e, nil); !errors.Is(err, errUsage) {
		t.Errorf("no target: %v", err)
	}
	e.cfg.Env = "production"
	if err := seedCmd(ctx, e, []string{"demo"}); !errors.Is(err, demo.ErrProduction) {
		t.Errorf("production: %v", err)
	}
	if !strings.Contains(commands["seed"].usage, "seed demo") {
		t.Errorf("seed usage does not list demo:\n%s", commands["seed"].usage)
	}
}
