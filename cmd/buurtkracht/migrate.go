package main

import (
	"context"
	"fmt"
	"strconv"

	"github.com/buurtkracht/buurtkracht/internal/postgres"
)

func init() {
	commands["migrate"] = command{
		summary: "databaseschema bijwerken: up, down [N] of version",
		usage:   "migrate up | down [N] | version\n\n  up        alle ontbrekende migraties toepassen (maakt de database aan als die ontbreekt)\n  down N    de laatste N migraties terugdraaien (zonder N: alle)\n  version   huidige schemaversie tonen",
		run:     migrateCmd,
	}
}

func migrateCmd(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return errUsage
	}
	url := e.directURL() // golang-migrate holds a session-level advisory lock
	if args[0] == "up" {
		if err := postgres.EnsureDatabase(ctx, url); err != nil {
			return err
		}
	}
	m, err := postgres.NewMigrator(url)
	if err != nil {
		return err
	}
	defer m.Close()
	switch args[0] {
	case "up":
		if len(args) != 1 {
			return errUsage
		}
		if err := m.Up(); err != nil {
			return err
		}
	case "down":
		n := 0
		if len(args) == 2 {
			if n, err = strconv.Atoi(args[1]); err != nil || n < 1 {
				return errUsage
			}
		} else if len(args) > 2 {
			return errUsage
		}
		if err := m.Down(n); err != nil {
			return err
		}
	case "version":
		if len(args) != 1 {
			return errUsage
		}
	default:
		return errUsage
	}
	v, dirty, err := m.Version()
	if err != nil {
		return err
	}
	state := ""
	if dirty {
		state = " (onvolledig: de laatste migratie is halverwege mislukt)"
	}
	fmt.Fprintf(e.stdout, "schemaversie %d%s\n", v, state)
	return nil
}
