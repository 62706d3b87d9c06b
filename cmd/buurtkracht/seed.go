package main

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/buurtkracht/buurtkracht/internal/demo"
)

// seedTarget is one data set `buurtkracht seed <name>` can load. Another
// file adds its own with registerSeedTarget in an init function.
type seedTarget struct {
	summary string
	usage   string // options after `seed <name>`, may be empty
	run     func(ctx context.Context, e *env, args []string) error
}

var seedTargets = map[string]seedTarget{}

// registerSeedTarget adds a seed target and rebuilds the seed command's help,
// so it lists every target whatever the order of the init functions.
func registerSeedTarget(name string, t seedTarget) {
	seedTargets[name] = t
	names := make([]string, 0, len(seedTargets))
	for n := range seedTargets {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("seed <" + strings.Join(names, "|") + "> [opties]\n")
	for _, n := range names {
		fmt.Fprintf(&b, "\n  seed %s\n      %s\n", strings.TrimSpace(n+" "+seedTargets[n].usage), seedTargets[n].summary)
	}
	b.WriteString("\nWordt geweigerd als APP_ENV=production.")
	commands["seed"] = command{
		summary: "voorbeeldgegevens laden (" + strings.Join(names, ", ") + ")",
		usage:   b.String(),
		run:     seedCmd,
	}
}

func seedCmd(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return errUsage
	}
	t, ok := seedTargets[args[0]]
	if !ok {
		return errUsage
	}
	return t.run(ctx, e, args[1:])
}

func init() {
	registerSeedTarget("demo", seedTarget{
		summary: "CBS-buurten (meegeleverd), een organisatie en één demo-account per rol; opnieuw draaien voegt niets toe",
		run:     seedDemo,
	})
}

func seedDemo(ctx context.Context, e *env, args []string) error {
	if len(args) != 0 {
		return errUsage
	}
	if e.cfg.Production() {
		return demo.ErrProduction
	}
	pool, err := e.openMigrated(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := demo.Seed(ctx, pool, e.cfg, e.stdout); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "\nDemo-accounts (wachtwoord: DEMO_PASSWORD):")
	for _, a := range demo.Accounts {
		fmt.Fprintf(e.stdout, "  %-34s %-13s %s\n", a.Email, a.Role, a.About)
	}
	return nil
}
