package ui

import (
	"context"
	"strings"
	"testing"
)

// TestErrorSummaryNamesAndLinksFields: every entry names its field by the
// label the form shows and links to the field; entries follow the form's
// order, and the summary can take focus.
func TestErrorSummaryNamesAndLinksFields(t *testing.T) {
	errs := map[string]string{"naam": "Vul dit veld in.", "email": "Vul je e-mailadres in."}
	items := Summary(errs, Label{Field: "email", Text: "E-mailadres"}, Label{Field: "naam", Text: "Naam"}, Label{Field: "wachtwoord", Text: "Wachtwoord"})
	if len(items) != 2 || items[0].Field != "email" || items[1].Label != "Naam" {
		t.Fatalf("items %+v", items)
	}
	var b strings.Builder
	if err := FormErrorSummary(FormSummaryID("account"), items).Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	for _, want := range []string{
		`id="fouten-account"`, `tabindex="-1"`, `role="alert"`,
		`<a href="#veld-email"><span class="bk-error-summary__label">E-mailadres</span>: Vul je e-mailadres in.</a>`,
		`<a href="#veld-naam"><span class="bk-error-summary__label">Naam</span>: Vul dit veld in.</a>`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("summary lacks %s:\n%s", want, html)
		}
	}
	if strings.Index(html, "veld-email") > strings.Index(html, "veld-naam") {
		t.Error("entries not in the form's order")
	}
	// Another form's field is not this form's business.
	if other := Summary(map[string]string{"reden": "Vul dit veld in."}, Label{Field: "naam", Text: "Naam"}); len(other) != 0 {
		t.Errorf("summary lists another form's error: %+v", other)
	}
	b.Reset()
	if err := ErrorSummary(nil).Render(context.Background(), &b); err != nil || b.Len() != 0 {
		t.Errorf("no errors rendered %q (%v)", b.String(), err)
	}
}
