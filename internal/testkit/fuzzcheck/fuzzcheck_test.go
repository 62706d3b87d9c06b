package fuzzcheck

import (
	"net/http"
	"runtime"
	"testing"
)

// recorder stands in for the testing.TB a check fails, so the checks
// themselves can be shown to fail.
type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Helper() {}
func (r *recorder) Fatal(...any) {
	r.failed = true
	runtime.Goexit()
}
func (r *recorder) Fatalf(string, ...any) {
	r.failed = true
	runtime.Goexit()
}

func fails(t *testing.T, check func(tb testing.TB)) bool {
	t.Helper()
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		check(r)
	}()
	<-done
	return r.failed
}

func TestChecksFail(t *testing.T) {
	t.Parallel()
	html := http.Header{"Content-Type": {"text/html; charset=utf-8"}}
	json := http.Header{"Content-Type": {"application/json"}}
	page := func(main string) string {
		return `<html><head><script src="/static/js/app.js?v=1" defer></script></head><body>` + main + `</body></html>`
	}
	tests := []struct {
		name  string
		check func(tb testing.TB)
		fail  bool
	}{
		{"5xx", func(tb testing.TB) {
			Answer(tb, "x", Response{Status: 500, Header: html, Body: page(`<p class="bk-lead">Er ging iets mis</p>`)})
		}, true},
		{"422 without errors", func(tb testing.TB) { Answer(tb, "x", Response{Status: 422, Header: html, Body: page("<form></form>")}) }, true},
		{"422 with summary", func(tb testing.TB) {
			Answer(tb, "x", Response{Status: 422, Header: html, Body: page(`<div role="alert"><a href="#veld-x">Vul dit veld in.</a></div>`)})
		}, false},
		{"404 page", func(tb testing.TB) {
			Answer(tb, "x", Response{Status: 404, Header: html, Body: page(`<p class="bk-lead">Deze pagina bestaat niet.</p>`)})
		}, false},
		{"400 without text", func(tb testing.TB) { Answer(tb, "x", Response{Status: 400, Header: html, Body: page("")}) }, true},
		{"raw script", func(tb testing.TB) {
			Answer(tb, "x", Response{Status: 200, Header: html, Body: page("<p><script>alert(1)</script></p>")})
		}, true},
		{"escaped script", func(tb testing.TB) {
			Answer(tb, "x", Response{Status: 200, Header: html, Body: page("<p>&lt;script&gt;</p>")})
		}, false},
		{"JSON error", func(tb testing.TB) {
			Answer(tb, "x", Response{Status: 400, Header: json, Body: `{"error":"Ongeldige cursor."}`})
		}, false},
		{"JSON errors", func(tb testing.TB) {
			Answer(tb, "x", Response{Status: 422, Header: json, Body: `{"errors":{"note":"Te lang."}}`})
		}, false},
		{"JSON empty", func(tb testing.TB) { Answer(tb, "x", Response{Status: 400, Header: json, Body: `{}`}) }, true},
		{"JSON leak", func(tb testing.TB) {
			Answer(tb, "x", Response{Status: 400, Header: json, Body: `{"error":"strconv.Atoi: parsing \"x\": invalid syntax"}`})
		}, true},
		{"text with NUL", func(tb testing.TB) { Text(tb, "f", "a\x00b", 10, false) }, true},
		{"text too long", func(tb testing.TB) { Text(tb, "f", "ééé", 2, false) }, true},
		{"newline single line", func(tb testing.TB) { Text(tb, "f", "a\nb", 10, false) }, true},
		{"newline multiline", func(tb testing.TB) { Text(tb, "f", "a\nb", 10, true) }, false},
		{"untrimmed", func(tb testing.TB) { Text(tb, "f", " a", 10, false) }, true},
		{"error on unknown field", func(tb testing.TB) { Errors(tb, map[string]string{"x": "Fout."}, "y") }, true},
		{"error message empty", func(tb testing.TB) { Errors(tb, map[string]string{"y": ""}, "y") }, true},
		{"one of", func(tb testing.TB) { OneOf(tb, "f", "c", []string{"a", "b"}) }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fails(t, tt.check); got != tt.fail {
				t.Errorf("check failed = %v, want %v", got, tt.fail)
			}
		})
	}
}
