package config_test

import (
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/config"
)

func TestBehindPooler(t *testing.T) {
	t.Parallel()
	const (
		bouncer = "postgres://app@pgbouncer:6432/buurtkracht"
		primary = "postgres://app@db:5432/buurtkracht"
	)
	for _, tt := range []struct {
		url, direct string
		want        bool
	}{
		{"", "", false},
		{primary, "", false},
		{primary, primary, false},
		{bouncer, primary, true},
		{"", config.DefaultDatabaseURL, false}, // both mean the default database
		{"", primary, true},
	} {
		c := config.Config{DatabaseURL: tt.url, DatabaseDirectURL: tt.direct}
		if got := c.BehindPooler(); got != tt.want {
			t.Errorf("DATABASE_URL %q, DATABASE_DIRECT_URL %q: %v, want %v", tt.url, tt.direct, got, tt.want)
		}
	}
}
