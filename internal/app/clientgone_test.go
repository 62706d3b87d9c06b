package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/app"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// TestClientGoneThroughRouter: through the platform's router and database,
// a visitor who left before the answer leaves one INFO line and no error
// (the page templates stop at the done context; that used to be logged as
// an ERROR "render error page"). Not parallel: it swaps the global logger.
func TestClientGoneThroughRouter(t *testing.T) {
	s := testkit.NewServer(t)
	h := s.App.Handler()
	for _, path := range []string{"/", "/bestaat-niet", "/initiatieven", "/buurten", "/inloggen"} {
		t.Run(path, func(t *testing.T) {
			var buf bytes.Buffer
			old := slog.Default()
			slog.SetDefault(slog.New(app.ContextHandler{Handler: slog.NewJSONHandler(&buf, nil)}))
			defer slog.SetDefault(old)

			ctx, cancel := context.WithCancel(context.Background())
			cancel() // as net/http does when the connection drops or a write fails
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, path, nil).WithContext(ctx))

			var lines []map[string]any
			for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
				var m map[string]any
				if err := json.Unmarshal([]byte(l), &m); err != nil {
					t.Fatalf("log line is not JSON: %q", l)
				}
				if _, ok := m["request_id"]; ok { // the app's background jobs log too
					lines = append(lines, m)
				}
			}
			if len(lines) != 1 || lines[0]["msg"] != "request" || lines[0]["level"] != "INFO" || lines[0]["client_gone"] != true {
				t.Errorf("want one INFO request line with client_gone, got:\n%s", buf.String())
			}
		})
	}
}
