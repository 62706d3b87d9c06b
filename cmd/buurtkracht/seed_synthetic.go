package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/buurtkracht/buurtkracht/internal/demo"
	"github.com/buurtkracht/buurtkracht/internal/synth"
)

func init() {
	registerSeedTarget("synthetic", seedTarget{
		summary: "grote synthetische dataset op de echte CBS-buurten voor belastingtests (standaard 1.000.000 straatcontacten); " +
			"zelfde --seed geeft dezelfde gegevens",
		usage: "[--seed N] [--contacts N] [--activities N] [--initiatives N] [--signals N] [--residents N] [--years N] [--workers N] [--no-extra-neighbourhoods]",
		run:   seedSynthetic,
	})
}

func seedSynthetic(ctx context.Context, e *env, args []string) error {
	o := synth.Defaults()
	fs := flag.NewFlagSet("seed synthetic", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Int64Var(&o.Seed, "seed", o.Seed, "")
	fs.IntVar(&o.Contacts, "contacts", o.Contacts, "")
	fs.IntVar(&o.Activities, "activities", o.Activities, "")
	fs.IntVar(&o.Initiatives, "initiatives", o.Initiatives, "")
	fs.IntVar(&o.Signals, "signals", o.Signals, "")
	fs.IntVar(&o.Residents, "residents", o.Residents, "")
	fs.IntVar(&o.Years, "years", o.Years, "")
	fs.IntVar(&o.LargeWorkers, "workers", o.LargeWorkers, "")
	noExtra := fs.Bool("no-extra-neighbourhoods", false, "")
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 {
		return errUsage
	}
	o.ExtraNeighbourhoods = !*noExtra
	if e.cfg.Production() {
		return demo.ErrProduction
	}
	pool, err := e.openMigrated(ctx)
	if err != nil {
		return err
	}
	defer pool.Close()
	fmt.Fprintf(e.stdout, "Synthetische gegevens laden (seed %d)...\n", o.Seed)
	sum, err := synth.Generate(ctx, pool, o, e.stdout)
	if errors.Is(err, synth.ErrSeeded) {
		fmt.Fprintln(e.stdout, "De synthetische gegevens staan al in deze database; er is niets toegevoegd.")
		return nil
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Klaar in %.1f s: %d buurten, %d opbouwwerkers, %d bewoners, %d straatcontacten, %d activiteiten, "+
		"%d initiatieven, %d aanvragen, %d signalen.\n", sum.Took.Seconds(), sum.Neighbourhoods, sum.Workers, sum.Residents,
		sum.Contacts, sum.Activities, sum.Initiatives, sum.Funding, sum.Signals)
	fmt.Fprintf(e.stdout, "Inloggen: %s (gemeente Utrecht), %s, %s; wachtwoord %q.\n",
		synth.OfficerEmail, synth.AdminEmail, synth.WorkerEmail(1), synth.Password)
	return nil
}
