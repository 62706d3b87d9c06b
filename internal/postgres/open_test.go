package postgres_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/buurtkracht/buurtkracht/internal/postgres"
)

// Through a pooler the pool avoids named prepared statements, unless the
// URL names a mode itself (pgx reads default_query_exec_mode from it).
func TestOpenQueryMode(t *testing.T) {
	t.Parallel()
	const base = "postgres://postgres@127.0.0.1:6432/buurtkracht?sslmode=disable"
	for _, tt := range []struct {
		url    string
		pooler bool
		want   pgx.QueryExecMode
	}{
		{base, false, pgx.QueryExecModeCacheStatement},
		{base, true, pgx.QueryExecModeCacheDescribe},
		{base + "&default_query_exec_mode=exec", true, pgx.QueryExecModeExec},
		{base + "&default_query_exec_mode=cache_statement", true, pgx.QueryExecModeCacheStatement},
		{base + "&default_query_exec_mode=simple_protocol", false, pgx.QueryExecModeSimpleProtocol},
	} {
		pool, err := postgres.Open(context.Background(), tt.url, postgres.ThroughPooler(tt.pooler))
		if err != nil {
			t.Fatal(err)
		}
		if got := pool.Config().ConnConfig.DefaultQueryExecMode; got != tt.want {
			t.Errorf("%s, pooler %v: mode %v, want %v", tt.url, tt.pooler, got, tt.want)
		}
		if _, ok := pool.Config().ConnConfig.RuntimeParams["default_query_exec_mode"]; ok {
			t.Errorf("%s: default_query_exec_mode would be sent to the server", tt.url)
		}
		pool.Close()
	}
}

// MaxConns caps the pool whatever the URL asks; without it the URL's
// pool_max_conns, or at least 8, holds.
func TestOpenMaxConns(t *testing.T) {
	t.Parallel()
	const base = "postgres://postgres@127.0.0.1:5432/buurtkracht?sslmode=disable"
	for _, tt := range []struct {
		url  string
		opts []postgres.Option
		want int32
	}{
		{base, nil, 8},
		{base + "&pool_max_conns=3", nil, 3},
		{base + "&pool_max_conns=30", []postgres.Option{postgres.MaxConns(4)}, 4},
	} {
		pool, err := postgres.Open(context.Background(), tt.url, tt.opts...)
		if err != nil {
			t.Fatal(err)
		}
		if got := pool.Config().MaxConns; got != tt.want {
			t.Errorf("%s: %d connections, want %d", tt.url, got, tt.want)
		}
		pool.Close()
	}
}
