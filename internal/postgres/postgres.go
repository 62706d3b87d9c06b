// Package postgres opens the connection pool, creates the database when it is
// missing and applies the embedded migrations.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Option adjusts a pool that Open makes.
type Option func(*openOptions)

type openOptions struct {
	pooler   bool
	maxConns int32
}

// ThroughPooler says that url leads to a transaction pooler such as PgBouncer
// in pool_mode=transaction, which hands each transaction (or each statement
// outside one) to whichever server connection is free. A named prepared
// statement lives on one server connection, so pgx's default mode (prepare
// every query once, by name, and reuse it) would find its statements missing,
// or another client's of the same name present. Through a pooler the pool
// uses QueryExecModeCacheDescribe instead: the unnamed statement, parsed
// again in the same round trip as each execution, with only the parameter
// and result types cached on our side. It keeps the binary formats and the
// type checks of the default mode, which QueryExecModeExec (text formats,
// types guessed from Go values) does not, and measured as fast as it
// through PgBouncer (README, "PgBouncer"). Either costs the server a parse
// and plan per query, which named statements save. A
// default_query_exec_mode=... in the URL still wins: PgBouncer 1.21 and
// later can keep named statements (max_prepared_statements), and then
// cache_statement is the faster choice.
func ThroughPooler(on bool) Option {
	return func(o *openOptions) { o.pooler = on }
}

// MaxConns caps the pool at n connections, whatever the URL says.
func MaxConns(n int32) Option {
	return func(o *openOptions) { o.maxConns = n }
}

// Open returns a pool for url. Connect attempts time out quickly so that,
// during a database outage, requests fail fast with a 503 instead of hanging.
func Open(ctx context.Context, url string, opts ...Option) (*pgxpool.Pool, error) {
	var o openOptions
	for _, opt := range opts {
		opt(&o)
	}
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: parse url: %w", err)
	}
	if cfg.ConnConfig.ConnectTimeout == 0 || cfg.ConnConfig.ConnectTimeout > 2*time.Second {
		cfg.ConnConfig.ConnectTimeout = 2 * time.Second
	}
	// At least 8 connections, unless the URL says otherwise (tests run
	// dozens of platforms side by side on one server's 100 connections).
	if cfg.MaxConns < 8 && !strings.Contains(url, "pool_max_conns=") {
		cfg.MaxConns = 8
	}
	if o.maxConns > 0 {
		cfg.MaxConns = o.maxConns
	}
	if o.pooler && !strings.Contains(url, "default_query_exec_mode=") {
		cfg.ConnConfig.DefaultQueryExecMode = pgx.QueryExecModeCacheDescribe
	}
	cfg.MaxConnIdleTime = 5 * time.Minute
	cfg.HealthCheckPeriod = 10 * time.Second
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: open pool: %w", err)
	}
	return pool, nil
}

// EnsureDatabase creates the database named in url when it does not exist,
// connecting to the maintenance database "postgres" on the same server.
func EnsureDatabase(ctx context.Context, url string) error {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return fmt.Errorf("postgres: parse url: %w", err)
	}
	name := cfg.Database
	if name == "" || name == "postgres" {
		return nil
	}
	cfg.Database = "postgres"
	cfg.ConnectTimeout = 3 * time.Second
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("postgres: connect to server: %w", err)
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return fmt.Errorf("postgres: look up database %s: %w", name, err)
	}
	if exists {
		return nil
	}
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "42P04" { // created meanwhile by another process
		return nil
	}
	if err != nil {
		return fmt.Errorf("postgres: create database %s: %w", name, err)
	}
	return nil
}

// IsUniqueViolation reports whether err is a unique violation of constraint.
func IsUniqueViolation(err error, constraint string) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505" && (constraint == "" || pgErr.ConstraintName == constraint)
}
