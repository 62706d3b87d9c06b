// Package migrations holds the SQL migrations, embedded so the binary can
// migrate any database it is pointed at without files on disk.
package migrations

import "embed"

// FS holds every *.sql file of this directory.
//
//go:embed *.sql
var FS embed.FS
