package help_test

import (
	"net/url"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// TestPagesValidHTML runs every help page, in its normal and its 422
// state, through the W3C Nu checker (the crawls do so too, from the demo).
func TestPagesValidHTML(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	id := w.ask(t, w.anna, "vraag", "gezelschap", "Wie drinkt een kop koffie met me?", w.oost)
	pages := map[string]string{
		"list":         w.bert.Get("/burenhulp").Body,
		"list mine":    w.anna.Get("/burenhulp").Body,
		"form":         w.anna.Get("/burenhulp/nieuw").Body,
		"form offer":   w.anna.Get("/burenhulp/nieuw?soort=aanbod").Body,
		"form 422":     w.anna.PostForm("/burenhulp/nieuw", url.Values{"sleutel": {key(t, w.anna, "/burenhulp/nieuw")}}).Body,
		"show":         w.bert.Get(path(id)).Body,
		"show author":  w.anna.Get(path(id)).Body,
		"show 422":     w.bert.PostForm(path(id)+"/reageren", url.Values{"sleutel": {key(t, w.bert, path(id))}}).Body,
		"areas":        w.wim.Get("/burenhulp/werkgebied").Body,
		"section":      w.bert.Get("/buurten/" + codeWest).Body,
		"section anon": w.s.Client(t).Get("/buurten/" + codeOost).Body,
		"account":      w.anna.Get("/account").Body,
		"report form":  w.bert.Get(path(id) + "/melden").Body,
	}
	errs, err := testkit.ValidateHTML(pages)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range errs {
		t.Errorf("%s", e)
	}
}
