package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// captureLogs sends the default logger to a JSON buffer for one test (not
// parallel: the default logger is global).
func captureLogs(t *testing.T) *bytes.Buffer {
	var buf bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(ContextHandler{slog.NewJSONHandler(&buf, nil)}))
	t.Cleanup(func() { slog.SetDefault(old) })
	return &buf
}

func logLines(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line is not JSON: %q", line)
		}
		out = append(out, m)
	}
	return out
}

func TestRequestIDInHeaderAndLogs(t *testing.T) {
	logs := captureLogs(t)
	h := requestID(logRequests(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		slog.InfoContext(r.Context(), "inside handler")
		w.WriteHeader(http.StatusTeapot)
	})))
	ids := map[string]bool{}
	for range 3 {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/pad?token=geheim", nil))
		id := rec.Header().Get("X-Request-Id")
		if len(id) != 16 || ids[id] {
			t.Fatalf("request id %q is missing, malformed or reused", id)
		}
		ids[id] = true
	}
	lines := logLines(t, logs)
	if len(lines) != 6 {
		t.Fatalf("want 6 log lines (2 per request), got %d:\n%s", len(lines), logs)
	}
	for _, l := range lines {
		id, _ := l["request_id"].(string)
		if !ids[id] {
			t.Errorf("log line without a known request_id: %v", l)
		}
		if l["msg"] == "request" {
			if l["path"] != "/pad" || l["status"] != float64(http.StatusTeapot) {
				t.Errorf("request line: %v", l)
			}
		}
	}
	if strings.Contains(logs.String(), "geheim") {
		t.Error("the query string (which may hold tokens) was logged")
	}
}

func TestPanicBecomesLogged500Page(t *testing.T) {
	logs := captureLogs(t)
	h := requestID(recoverPanics(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		panic("kapot")
	})))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500", rec.Code)
	}
	body := rec.Body.String()
	if !strings.Contains(body, "Er ging iets mis") || !strings.Contains(body, `lang="nl"`) {
		t.Errorf("not the Dutch 500 page:\n%s", body)
	}
	if strings.Contains(body, "kapot") || strings.Contains(body, "goroutine") {
		t.Error("the 500 page shows the panic or a stack trace")
	}
	var found bool
	for _, l := range logLines(t, logs) {
		if l["msg"] == "panic" && l["value"] == "kapot" && l["request_id"] == rec.Header().Get("X-Request-Id") {
			found = true
		}
	}
	if !found {
		t.Errorf("panic not logged with its request id:\n%s", logs)
	}
}

func TestAbortHandlerPanicIsNotSwallowed(t *testing.T) {
	h := recoverPanics(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic(http.ErrAbortHandler) }))
	defer func() {
		if v, _ := recover().(error); !errors.Is(v, http.ErrAbortHandler) {
			t.Fatalf("recovered %v, want http.ErrAbortHandler re-panicked", v)
		}
	}()
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
}
