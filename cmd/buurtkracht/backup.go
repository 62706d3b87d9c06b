package main

import (
	"context"
	"fmt"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/backup"
)

func init() {
	commands["backup"] = command{
		summary: "maak een back-up van de database (pg_dump, custom format)",
		usage:   "backup [BESTAND]\n\n  Zonder BESTAND: backups/buurtkracht-JJJJMMDD-UUMMSS.dump",
		run:     backupCmd,
	}
	commands["restore"] = command{
		summary: "zet een back-up terug in de database (pg_restore, in één transactie)",
		usage:   "restore BESTAND",
		run:     restoreCmd,
	}
}

func backupCmd(ctx context.Context, e *env, args []string) error {
	if len(args) > 1 {
		return errUsage
	}
	file := "backups/buurtkracht-" + time.Now().Format("20060102-150405") + ".dump"
	if len(args) == 1 {
		file = args[0]
	}
	if err := backup.Dump(ctx, e.directURL(), file); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "back-up geschreven naar %s\n", file)
	return nil
}

func restoreCmd(ctx context.Context, e *env, args []string) error {
	if len(args) != 1 {
		return errUsage
	}
	if err := backup.Restore(ctx, e.directURL(), args[0]); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "back-up %s teruggezet\n", args[0])
	return nil
}
