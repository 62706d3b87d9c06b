package main

import (
	"context"
	"errors"
	"html/template"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"

	"github.com/buurtkracht/buurtkracht/internal/postgres"
)

// barePage is the external baseline's page: the same list as the in-process
// baseline, through html/template.
var barePage = template.Must(template.New("basislijn").Parse(`<!DOCTYPE html>
<html lang="nl">
<head><title>Basislijn</title></head>
<body>
<ul>
{{range .}}<li>{{.Code}} {{.Name}}</li>
{{end}}</ul>
</body>
</html>
`))

// serveBaseline runs the external mode's bare baseline until ctx ends: chi,
// a pgx pool opened like the platform's (postgres.Open, so the same pool
// size) and html/template, one indexed query per page, nothing else.
func serveBaseline(ctx context.Context, addr, dbURL string) error {
	pool, err := postgres.Open(ctx, dbURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	r := chi.NewRouter()
	r.Get("/readyz", func(w http.ResponseWriter, r *http.Request) {
		if err := pool.Ping(r.Context()); err != nil {
			http.Error(w, "database", http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ok\n"))
	})
	r.Get("/basislijn", func(w http.ResponseWriter, r *http.Request) {
		rows, err := pool.Query(r.Context(), baselineQuery)
		if err != nil {
			http.Error(w, "database", http.StatusInternalServerError)
			return
		}
		list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[baselineRow])
		if err != nil {
			http.Error(w, "database", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = barePage.Execute(w, list)
	})
	srv := &http.Server{Addr: addr, Handler: r, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
