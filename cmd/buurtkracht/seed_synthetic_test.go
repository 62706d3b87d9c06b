package main

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/demo"
)

func TestSeedSyntheticCommand(t *testing.T) {
	t.Parallel()
	e, out := testEnv(t)
	ctx := context.Background()
	small := []string{"synthetic", "--seed", "3", "--contacts", "500", "--activities", "50", "--initiatives", "20",
		"--signals", "20", "--residents", "30", "--workers", "5", "--no-extra-neighbourhoods"}
	if err := seedCmd(ctx, e, small); err != nil {
		t.Fatalf("seed synthetic: %v\n%s", err, out)
	}
	for _, want := range []string{"straatcontacten", "500 straatcontacten", "Klaar in"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	out.Reset()
	if err := seedCmd(ctx, e, small); err != nil || !strings.Contains(out.String(), "al in deze database") {
		t.Errorf("second run: %v, %q", err, out)
	}
	for _, bad := range [][]string{{"synthetic", "--contacts", "veel"}, {"synthetic", "--onbekend"}, {"synthetic", "extra"}} {
		if err := seedCmd(ctx, e, bad); !errors.Is(err, errUsage) {
			t.Errorf("%v: %v, want usage", bad, err)
		}
	}
	if err := seedCmd(ctx, e, []string{"synthetic", "--years", "0"}); err == nil {
		t.Error("zero years accepted")
	}
	e.cfg.Env = "production"
	if err := seedCmd(ctx, e, []string{"synthetic"}); !errors.Is(err, demo.ErrProduction) {
		t.Errorf("production: %v", err)
	}
	if !strings.Contains(commands["seed"].usage, "seed synthetic") {
		t.Errorf("seed usage does not list synthetic:\n%s", commands["seed"].usage)
	}
}
