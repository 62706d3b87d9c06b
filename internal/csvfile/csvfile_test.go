package csvfile_test

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/csvfile"
)

func TestSafe(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"text", "Oog in Al", "Oog in Al"},
		{"formula", "=1+1", "'=1+1"},
		{"hyperlink", `=HYPERLINK("http://evil.example","klik")`, `'=HYPERLINK("http://evil.example","klik")`},
		{"dde", "=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"},
		{"plus formula", "+1+1", "'+1+1"},
		{"minus formula", "-1+1", "'-1+1"},
		{"minus function", "-SUM(A1:A2)", "'-SUM(A1:A2)"},
		{"at function", "@SUM(A1:A2)", "'@SUM(A1:A2)"},
		{"tab", "\t=1+1", "'\t=1+1"},
		{"carriage return", "\r=1+1", "'\r=1+1"},
		{"line feed", "\n=1+1", "'\n=1+1"},
		{"phone number", "+31 6 12345678", "'+31 6 12345678"},
		{"minus with text", "-3 uur", "'-3 uur"},
		{"lone minus", "-", "'-"},
		{"dash list", "- eerste punt", "'- eerste punt"},
		// Numbers we write ourselves stay numbers.
		{"integer", "42", "42"},
		{"negative integer", "-3", "-3"},
		{"negative decimal comma", "-1,5", "-1,5"},
		{"negative decimal point", "-1.5", "-1.5"},
		{"positive sign", "+2", "+2"},
		{"euros", "1250,00", "1250,00"},
		{"half a number", "-1,", "'-1,"},
		{"two decimal parts", "-1,5,5", "'-1,5,5"},
		{"exponent", "-1e5", "'-1e5"},
		// Only the first character counts.
		{"equals inside", "a=b", "a=b"},
		{"suppressed count", "< 5", "< 5"},
		{"already quoted", "'=1", "'=1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := csvfile.Safe(tt.in); got != tt.want {
				t.Errorf("Safe(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestWriteFormat(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	err := csvfile.Write(&buf, [][]string{
		{"Naam", "Aantal", "Toelichting"},
		{"=HYPERLINK(\"x\")", "-3", "met; puntkomma"},
		{"Lombok", "-1,5", "regel\neen \"citaat\""},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "\uFEFFNaam;Aantal;Toelichting\r\n" +
		"\"'=HYPERLINK(\"\"x\"\")\";-3;\"met; puntkomma\"\r\n" +
		"Lombok;-1,5;\"regel\r\neen \"\"citaat\"\"\"\r\n"
	if got := buf.String(); got != want {
		t.Errorf("file:\n%q\nwant\n%q", got, want)
	}
	// A CSV reader gets the cells back, neutralised ones with their quote.
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\uFEFF")))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if recs[1][0] != `'=HYPERLINK("x")` || recs[1][1] != "-3" || recs[2][2] != "regel\neen \"citaat\"" {
		t.Errorf("read back: %q", recs)
	}
}

func TestServe(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, filename, disposition string
	}{
		{"plain", "overzicht_GM0344_2026-01_2026-12.csv", `attachment; filename="overzicht_GM0344_2026-01_2026-12.csv"`},
		{"quote and header tricks", "a\"b\r\nX-Evil: 1;c.csv", `attachment; filename="a_b__X-Evil__1_c.csv"`},
		{"not ascii", "buurt_Zuilén.csv", `attachment; filename="buurt_Zuil_n.csv"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			if err := csvfile.Serve(rec, tt.filename, [][]string{{"@a", "b"}}); err != nil {
				t.Fatal(err)
			}
			if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "text/csv; charset=utf-8" {
				t.Errorf("status %d, type %q", rec.Code, rec.Header().Get("Content-Type"))
			}
			if got := rec.Header().Get("Content-Disposition"); got != tt.disposition {
				t.Errorf("Content-Disposition %q, want %q", got, tt.disposition)
			}
			if rec.Body.String() != "\uFEFF'@a;b\r\n" {
				t.Errorf("body %q", rec.Body.String())
			}
		})
	}
}
