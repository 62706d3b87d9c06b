package htmlcheck

import "testing"

// TestInlineCode shows the page check finds what the CSP would block.
func TestInlineCode(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		page string
		want int
	}{
		{`<p class="x">tekst</p><script src="/static/js/a.js"></script>`, 0},
		{`<script type="application/json">{"a":1}</script>`, 0},
		{`<script>alert(1)</script>`, 1},
		{`<p style="color:red">x</p>`, 1},
		{`<button onclick="x()">x</button>`, 1},
		{`<a href=" JavaScript:x()">x</a>`, 1},
		{`<style>p{}</style><svg><rect onload="x()" style="fill:red"/></svg>`, 3},
	} {
		if got := inlineCode(tc.page); len(got) != tc.want {
			t.Errorf("%s: %d problems %v, want %d", tc.page, len(got), got, tc.want)
		}
	}
}
