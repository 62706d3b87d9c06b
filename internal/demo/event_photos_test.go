package demo_test

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/demo"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// TestSeedEventPhotos: two upcoming demo events have a photo, added once
// by their organiser; the event page shows it to anyone.
func TestSeedEventPhotos(t *testing.T) {
	t.Parallel()
	s := testkit.NewServer(t)
	var out bytes.Buffer
	for range 2 { // idempotent
		if err := demo.Seed(context.Background(), s.DB, s.Cfg, &out); err != nil {
			t.Fatalf("seed: %v\n%s", err, out.String())
		}
	}
	var photos, upcoming, byOrganiser int
	var soup int64
	if err := s.DB.QueryRow(context.Background(), `
		SELECT count(*), count(*) FILTER (WHERE e.starts_at > now()), count(*) FILTER (WHERE p.uploaded_by = e.created_by),
		       COALESCE(max(e.id) FILTER (WHERE e.title = 'Buurtsoep in De Kaderzaal'), 0)
		FROM photos p JOIN events e ON e.id = p.event_id`).Scan(&photos, &upcoming, &byOrganiser, &soup); err != nil {
		t.Fatal(err)
	}
	if photos != 2 || upcoming != 2 || byOrganiser != 2 || soup == 0 {
		t.Fatalf("event photos %d, upcoming %d, by the organiser %d, soup event %d", photos, upcoming, byOrganiser, soup)
	}
	anon := s.Client(t)
	res := anon.Get("/bijeenkomsten/" + strconv.FormatInt(soup, 10))
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `data-testid="gallery"`) || !strings.Contains(res.Body, "soepkommen") {
		t.Fatalf("the soup event's page lacks its photo: %d", res.StatusCode)
	}
	src := regexp.MustCompile(`/fotos/[0-9]+/[0-9]+-[0-9a-f]{16}\.jpg`).FindString(res.Body)
	if img := anon.Get(src); src == "" || img.StatusCode != http.StatusOK || img.Header.Get("Content-Type") != "image/jpeg" {
		t.Errorf("the photo %q: %d", src, img.StatusCode)
	}
}
