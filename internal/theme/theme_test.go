package theme

import "testing"

func TestThemes(t *testing.T) {
	if len(All) != 15 {
		t.Fatalf("DOMAIN.md lists 15 themes, have %d", len(All))
	}
	if !ValidAll([]string{"wonen", "inclusie"}) || ValidAll([]string{"wonen", "wonen"}) || ValidAll([]string{"onbekend"}) {
		t.Fatal("ValidAll wrong")
	}
	if Label("zorg") != "Zorg & mantelzorg" || Label("x") != "x" {
		t.Fatal("Label wrong")
	}
	if opts := Options(); len(opts) != len(All) || opts[1].Value != "zorg" || opts[1].Label != "Zorg & mantelzorg" {
		t.Fatalf("Options wrong: %+v", opts)
	}
}
