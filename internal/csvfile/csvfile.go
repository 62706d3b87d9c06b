// Package csvfile writes the platform's CSV downloads: one format for every
// export, and one place that keeps a cell from running as a spreadsheet
// formula.
//
// The files open in Excel with Dutch settings: UTF-8 with a byte order mark
// (else Excel reads them as Windows-1252), semicolons (a Dutch Excel splits
// on them, as the comma is the decimal sign), CRLF line ends.
package csvfile

import (
	"bytes"
	"encoding/csv"
	"io"
	"net/http"
	"regexp"
	"strings"
)

// bom makes Excel read the file as UTF-8.
const bom = "\uFEFF"

// ContentType is the media type of every CSV download.
const ContentType = "text/csv; charset=utf-8"

// Write writes records to w as a CSV file, every cell passed through Safe.
func Write(w io.Writer, records [][]string) error {
	if _, err := io.WriteString(w, bom); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Comma = ';'
	cw.UseCRLF = true
	row := []string{}
	for _, rec := range records {
		row = row[:0]
		for _, cell := range rec {
			row = append(row, Safe(cell))
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// Serve sends records as a CSV download named filename. The file is built in
// memory first, so a failure never sends half a file with status 200.
func Serve(w http.ResponseWriter, filename string, records [][]string) error {
	var buf bytes.Buffer
	if err := Write(&buf, records); err != nil {
		return err
	}
	w.Header().Set("Content-Type", ContentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+cleanName(filename)+`"`)
	w.WriteHeader(http.StatusOK)
	_, _ = buf.WriteTo(w)
	return nil
}

// cleanName keeps a file name to characters that need no quoting or
// encoding in a Content-Disposition header, so a name built from user input
// cannot break out of the quotes or add header parameters.
func cleanName(name string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-', r == '_':
			return r
		}
		return '_'
	}, name)
}

// plainNumber is a number as our exports write it: an optional sign, digits,
// and an optional decimal part after a comma (Dutch) or a point. A
// spreadsheet reads it as a number, never as a formula.
var plainNumber = regexp.MustCompile(`^[+-]?[0-9]+([,.][0-9]+)?$`)

// Safe returns cell so that a spreadsheet shows it as text instead of
// running it, following OWASP's advice on CSV injection: a cell that starts
// with =, +, -, @, a tab, a carriage return or a line feed gets a single
// quote in front. Spreadsheets treat such a cell as a formula, and a name or
// text typed by a resident ("=HYPERLINK(…)") must not become one on a
// municipal officer's computer.
//
// A plain number with a sign ("-3", "-1,5", "+2") is left alone: it can
// hold no formula, and a negative figure must stay a number in the sheet.
// Anything more after the sign ("-1+1", "-3 uur", "+31 6…") is neutralised.
func Safe(cell string) string {
	if cell == "" {
		return cell
	}
	switch cell[0] {
	case '=', '@', '\t', '\r', '\n':
		return "'" + cell
	case '+', '-':
		if plainNumber.MatchString(cell) {
			return cell
		}
		return "'" + cell
	}
	return cell
}
