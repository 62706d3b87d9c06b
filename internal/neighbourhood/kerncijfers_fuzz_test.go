package neighbourhood

import (
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/cbs"
)

// FuzzParseKerncijfers: the CBS key figures file. It never panics; a refusal
// is an *ImportError naming the file and a line in it; what it accepts has
// valid codes once each, a plausible year, counts of 0 or more and age
// groups that add up to the inhabitants within ageTolerance.
func FuzzParseKerncijfers(f *testing.F) {
	header := strings.Join(kerncijfersColumns, ";") + "\n"
	for _, s := range []string{
		header + "BU03440111;2024;1800;1100;195;240;775;250;340\n",
		header + "BU03440111;2024;1800;;;;;;\n",
		"\uFEFF" + strings.ReplaceAll(header, "\n", "\r\n") + "BU03440111;2024;10;5;0;5;0;5;0\r\n",
		header + "BU03440111;2024;1800;1100;195;240;775;250;340\nBU03440111;2024;1;1;;;;;\n",
		header + "BU0344011;2024;1800;1100;195;240;775;250;340\n",
		header + "BU03440111;24;1800;1100;195;240;775;250;340\n",
		header + "BU03440111;2024;-5;1100;195;240;775;250;340\n",
		header + "BU03440111;2024;99999999999;1;;;;;\n",
		header + "BU03440111;2024;1800;1100;0;0;0;0;0\n",
		header + "BU03440111;2024;\"18\"00;1100;195;240;775;250;340\n",
		header + "BU03440111;2024;1800\n",
		strings.ReplaceAll(header, ";", ","),
		"", header,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, content string) {
		p := &parsed{buByCode: map[string]bool{}}
		err := p.parseKerncijfers(Source{Name: "kerncijfers.csv", Reader: strings.NewReader(content)})
		if err != nil {
			checkRefusal(t, err, map[string]string{"kerncijfers.csv": content})
			return
		}
		seen := map[string]bool{}
		for _, r := range p.figures {
			if !cbs.IsNeighbourhood(r.code) || seen[r.code] || r.year < 1900 || r.year > 2200 || r.inhabitants < 0 ||
				(r.households != nil && *r.households < 0) {
				t.Fatalf("accepted %+v", r)
			}
			seen[r.code] = true
			sum, all := int64(0), true
			for _, a := range r.ages {
				if a == nil {
					all = false
					continue
				}
				if *a < 0 {
					t.Fatalf("accepted a negative age group: %+v", r)
				}
				sum += int64(*a)
			}
			if d := sum - int64(r.inhabitants); all && (d > ageTolerance || d < -ageTolerance) {
				t.Fatalf("accepted age groups %d off the inhabitants: %+v", d, r)
			}
		}
	})
}
