package strategy

import "testing"

func TestStrategies(t *testing.T) {
	for _, i := range All {
		if !i.Code.Valid() || Label(i.Code) != i.Label {
			t.Errorf("%s: valid %v, label %q", i.Code, i.Code.Valid(), Label(i.Code))
		}
	}
	if Strategy("x").Valid() || Strategy("").Valid() || Label("x") != "x" {
		t.Error("unknown strategy accepted or relabelled")
	}
	opts := Options()
	if len(opts) != 3 || opts[0].Value != "bonding" || opts[0].Label != "Verbinden" || opts[0].Hint == "" {
		t.Errorf("options %+v", opts)
	}
}
