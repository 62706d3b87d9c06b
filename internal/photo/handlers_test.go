package photo_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/account"
	"github.com/buurtkracht/buurtkracht/internal/photo"
	"github.com/buurtkracht/buurtkracht/internal/role"
	"github.com/buurtkracht/buurtkracht/internal/testkit"
	"github.com/buurtkracht/buurtkracht/internal/uuid"
)

// world: anna owns a public and a members-only initiative and created a
// place and a talent; bob is another resident; an administrator.
type world struct {
	s                *testkit.Server
	anna, bob, admin account.Account
	ini, members     int64
	place, talent    int64
}

func newWorld(t *testing.T) world {
	t.Helper()
	s := testkit.NewServer(t)
	w := world{s: s}
	nb := testkit.NewGeo(t, s.DB).Neighbourhood("BU03440101", "Lombok")
	w.anna = s.CreateUser(t, "anna@example.nl")
	w.bob = s.CreateUser(t, "bob@example.nl")
	w.admin = s.CreateUser(t, "beheer@example.nl", role.Admin)
	initiative := func(title, visibility string) int64 {
		var id int64
		w.scan(t, &id, `INSERT INTO initiatives (title, summary, municipality_id, form, status, contact_preference, visibility, created_by)
			SELECT $2, 'Samen spullen repareren', municipality_id, 'informal', 'actief', 'platform', $3, $4
			FROM neighbourhoods WHERE id = $1 RETURNING id`, nb, title, visibility, w.anna.ID)
		w.exec(t, `INSERT INTO initiative_neighbourhoods (initiative_id, neighbourhood_id) VALUES ($1, $2)`, id, nb)
		w.exec(t, `INSERT INTO initiative_owners (initiative_id, account_id) VALUES ($1, $2)`, id, w.anna.ID)
		return id
	}
	w.ini = initiative("Repair café Lombok", "public")
	w.members = initiative("Broodfonds Lombok", "members")
	w.scan(t, &w.place, `INSERT INTO assets (kind, place_type, name, neighbourhood_id, needs, visibility, created_by, create_token)
		VALUES ('plek', 'buurthuis', 'Buurthuis De Lom', $1, '{ruimte}', 'public', $2, 'fototest-token-plek-1') RETURNING id`, nb, w.anna.ID)
	w.scan(t, &w.talent, `INSERT INTO assets (kind, name, neighbourhood_id, needs, visibility, created_by, create_token)
		VALUES ('talent', 'Ik kan fietsen repareren', $1, '{kennis}', 'members', $2, 'fototest-token-talent-1') RETURNING id`, nb, w.anna.ID)
	return w
}

func (w world) exec(t *testing.T, sql string, args ...any) {
	t.Helper()
	if _, err := w.s.DB.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%v\n%s", err, sql)
	}
}

func (w world) scan(t *testing.T, dst any, sql string, args ...any) {
	t.Helper()
	if err := w.s.DB.QueryRow(context.Background(), sql, args...).Scan(dst); err != nil {
		t.Fatalf("%v\n%s", err, sql)
	}
}

func (w world) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	w.scan(t, &n, sql, args...)
	return n
}

func id(n int64) string { return strconv.FormatInt(n, 10) }

func iniPath(n int64) string   { return "/initiatieven/" + id(n) + "/fotos" }
func placePath(n int64) string { return "/hulpbronnen/" + id(n) + "/fotos" }

// post sends the upload form as a browser does: key, alt text, then the file.
func (w world) post(t *testing.T, c *testkit.Client, path, key, alt, filename string, file []byte) testkit.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("sleutel", key)
	_ = mw.WriteField("alt", alt)
	fw, err := mw.CreateFormFile("foto", filename)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write(file)
	_ = mw.Close()
	req, err := http.NewRequest(http.MethodPost, w.s.URL+path, &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.Do(req)
}

func wantStatus(t *testing.T, what string, res testkit.Response, status int) {
	t.Helper()
	if res.StatusCode != status {
		t.Fatalf("%s: status %d, want %d\n%.2000s", what, res.StatusCode, status, res.Body)
	}
}

func contains(t *testing.T, what, body, want string, yes bool) {
	t.Helper()
	if strings.Contains(body, want) != yes {
		t.Errorf("%s: contains %q = %v, want %v", what, want, !yes, yes)
	}
}

func testJPEG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, color.RGBA{uint8(x), uint8(y), 120, 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// gpsSecret is in the EXIF of the upload and must be in no stored byte.
const gpsSecret = "GPS Kanaalstraat 12 Utrecht"

// withGPS puts an EXIF APP1 segment with a GPS IFD (latitude N 52° 5' 30")
// and a description into jpg, right after its start-of-image marker.
func withGPS(jpg []byte) []byte {
	le := func(b []byte, v uint32, n int) []byte {
		for i := range n {
			b = append(b, byte(v>>(8*i)))
		}
		return b
	}
	desc := append([]byte(gpsSecret), 0)
	tiff := []byte("II*\x00")
	tiff = le(tiff, 8, 4)
	descOff := 8 + 2 + 2*12 + 4
	gpsOff := descOff + len(desc)
	tiff = le(tiff, 2, 2)
	tiff = le(le(le(le(tiff, 0x010E, 2), 2, 2), uint32(len(desc)), 4), uint32(descOff), 4)
	tiff = le(le(le(le(tiff, 0x8825, 2), 4, 2), 1, 4), uint32(gpsOff), 4)
	tiff = le(tiff, 0, 4)
	tiff = append(tiff, desc...)
	ratOff := gpsOff + 2 + 2*12 + 4
	tiff = le(tiff, 2, 2)
	tiff = le(le(le(le(tiff, 0x0001, 2), 2, 2), 2, 4), 'N', 4)
	tiff = le(le(le(le(tiff, 0x0002, 2), 5, 2), 3, 4), uint32(ratOff), 4)
	tiff = le(tiff, 0, 4)
	for _, v := range []uint32{52, 1, 5, 1, 30, 1} {
		tiff = le(tiff, v, 4)
	}
	payload := append([]byte("Exif\x00\x00"), tiff...)
	n := len(payload) + 2
	seg := append([]byte{0xFF, 0xE1, byte(n >> 8), byte(n)}, payload...)
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

var srcPattern = regexp.MustCompile(`/fotos/[0-9]+/[0-9]+-[0-9a-f]{16}\.(?:jpg|png)`)

// TestUploadStripsGPSAndServes: an owner uploads a JPEG carrying GPS EXIF;
// no stored width holds EXIF, GPS or the description; the page shows it
// with srcset, sizes, width, height, lazy loading and the alt text; every
// URL answers with the right type and a year's immutable cache; a double
// submit adds one photo.
func TestUploadStripsGPSAndServes(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	anna := w.s.Login(t, "anna@example.nl")
	upload := withGPS(testJPEG(t, 800, 600))
	if !bytes.Contains(upload, []byte(gpsSecret)) || !bytes.Contains(upload, []byte("Exif")) {
		t.Fatal("the upload carries no EXIF")
	}
	key := uuid.New()
	// The name and type say text; the content decides.
	res := w.post(t, anna, iniPath(w.ini), key, "Buren repareren samen een fiets", "notities.txt", upload)
	wantStatus(t, "upload", res, http.StatusSeeOther)
	if res.Location() != iniPath(w.ini) {
		t.Errorf("redirect to %q", res.Location())
	}
	wantStatus(t, "double submit", w.post(t, anna, iniPath(w.ini), key, "Buren repareren samen een fiets", "x.jpg", upload), http.StatusSeeOther)
	if n := w.count(t, `SELECT count(*) FROM photos WHERE initiative_id = $1`, w.ini); n != 1 {
		t.Fatalf("%d photos, want 1", n)
	}
	rows, err := w.s.DB.Query(context.Background(), `SELECT width, data FROM photo_variants ORDER BY width`)
	if err != nil {
		t.Fatal(err)
	}
	var widths []int
	for rows.Next() {
		var width int
		var data []byte
		if err := rows.Scan(&width, &data); err != nil {
			t.Fatal(err)
		}
		widths = append(widths, width)
		for _, bad := range [][]byte{[]byte("Exif"), []byte(gpsSecret), {0xFF, 0xE1}, []byte("II*\x00")} {
			if bytes.Contains(data, bad) {
				t.Errorf("stored width %d contains %q", width, bad)
			}
		}
	}
	rows.Close()
	if len(widths) != 3 || widths[0] != 320 || widths[1] != 640 || widths[2] != 800 {
		t.Errorf("stored widths %v, want 320, 640, 800", widths)
	}

	anon := w.s.Client(t)
	for _, page := range []string{iniPath(w.ini), "/initiatieven/" + id(w.ini)} {
		res = anon.Get(page)
		wantStatus(t, page, res, http.StatusOK)
		for _, want := range []string{`alt="Buren repareren samen een fiets"`, `loading="lazy"`, `srcset="`, ` 320w, `, ` 800w"`,
			`sizes="`, `width="800"`, `height="600"`} {
			contains(t, page, res.Body, want, true)
		}
	}
	urls := srcPattern.FindAllString(anon.Get(iniPath(w.ini)).Body, -1)
	if len(urls) < 3 {
		t.Fatalf("image URLs %v", urls)
	}
	for _, u := range urls {
		res := anon.Get(u)
		wantStatus(t, u, res, http.StatusOK)
		if got := res.Header.Get("Content-Type"); got != "image/jpeg" {
			t.Errorf("%s: Content-Type %q", u, got)
		}
		if got := res.Header.Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
			t.Errorf("%s: Cache-Control %q", u, got)
		}
		if got := res.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options %q", u, got)
		}
		if bytes.Contains([]byte(res.Body), []byte(gpsSecret)) {
			t.Errorf("%s: served bytes contain the EXIF text", u)
		}
	}
	// A wrong hash, a wrong extension or an unknown width is not found.
	var photoID int64
	var hash string
	w.scan(t, &photoID, `SELECT id FROM photos`)
	w.scan(t, &hash, `SELECT hash FROM photos`)
	base := "/fotos/" + id(photoID) + "/"
	wantStatus(t, "good", anon.Get(base+"320-"+hash+".jpg"), http.StatusOK)
	for _, u := range []string{base + "320-0123456789abcdef.jpg", base + "320-" + hash + ".png", base + "321-" + hash + ".jpg",
		base + "0320-" + hash + ".jpg", base + "320-" + hash + ".jpg.exe", "/fotos/" + id(photoID+1) + "/320-" + hash + ".jpg"} {
		wantStatus(t, u, anon.Get(u), http.StatusNotFound)
	}
}

// TestUploadRefused: every bad upload gets 422 with its Dutch message,
// the alt text kept and the request to choose the file again.
func TestUploadRefused(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	anna := w.s.Login(t, "anna@example.nl")
	good := testJPEG(t, 64, 48)
	// A PNG header claiming 20000×20000 pixels, and nothing more.
	ihdr := []byte("IHDR\x00\x00\x4e\x20\x00\x00\x4e\x20\x08\x06\x00\x00\x00")
	bomb := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0d"), ihdr...)
	bomb = binary.BigEndian.AppendUint32(bomb, crc32.ChecksumIEEE(ihdr))
	cases := []struct {
		name, alt string
		file      []byte
		want      string
	}{
		{"not an image", "Een foto", []byte("<html>geen foto</html>"), "geen JPEG-, PNG- of WebP-foto"},
		{"truncated", "Een foto", good[:len(good)/2], "beschadigd of niet helemaal geüpload"},
		{"too many pixels", "Een foto", bomb, "te veel pixels"},
		{"too large", "Een foto", append(append([]byte{}, good...), make([]byte, photo.MaxBytes)...), "groter dan 10 MB"},
		{"no file", "Een foto", nil, "Kies een foto"},
		{"no alt text", "   ", good, "Beschrijf wat er op de foto te zien is"},
		{"alt text too long", strings.Repeat("a", photo.MaxAlt+1), good, "Gebruik hoogstens 250 tekens"},
	}
	for _, c := range cases {
		res := w.post(t, anna, iniPath(w.ini), uuid.New(), c.alt, "foto.jpg", c.file)
		wantStatus(t, c.name, res, http.StatusUnprocessableEntity)
		contains(t, c.name, res.Body, c.want, true)
		contains(t, c.name, res.Body, `data-testid="error-summary"`, true)
		if strings.TrimSpace(c.alt) != "" {
			contains(t, c.name, res.Body, `value="`+c.alt+`"`, true)
		}
		if c.name == "no alt text" {
			contains(t, c.name, res.Body, "Kies de foto opnieuw", true)
		}
	}
	// A form posted without multipart (no file at all) is a form without a file.
	res := anna.PostForm(iniPath(w.ini), url.Values{"sleutel": {uuid.New()}, "alt": {"Zonder bestand"}})
	wantStatus(t, "urlencoded", res, http.StatusUnprocessableEntity)
	contains(t, "urlencoded", res.Body, "Kies een foto", true)
	contains(t, "urlencoded", res.Body, `value="Zonder bestand"`, true)
	if n := w.count(t, `SELECT count(*) FROM photos`); n != 0 {
		t.Errorf("%d photos stored from bad uploads", n)
	}

	// WebP is accepted; six photos is the most; the seventh is refused.
	webp, err := os.ReadFile("testdata/lossy.webp")
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, "webp", w.post(t, anna, iniPath(w.ini), uuid.New(), "Een WebP-foto", "foto.webp", webp), http.StatusSeeOther)
	for i := range photo.MaxPhotos - 1 {
		wantStatus(t, "photo "+strconv.Itoa(i+2), w.post(t, anna, iniPath(w.ini), uuid.New(), "Foto", "f.jpg", good), http.StatusSeeOther)
	}
	res = w.post(t, anna, iniPath(w.ini), uuid.New(), "De zevende", "f.jpg", good)
	wantStatus(t, "seventh", res, http.StatusUnprocessableEntity)
	contains(t, "seventh", res.Body, "Er staan al 6 foto", true)
	if n := w.count(t, `SELECT count(*) FROM photos WHERE initiative_id = $1`, w.ini); n != photo.MaxPhotos {
		t.Errorf("%d photos, want %d", n, photo.MaxPhotos)
	}
	contains(t, "full page", anna.Get(iniPath(w.ini)).Body, `data-testid="photos-full"`, true)
}

// TestWhoMayDoWhat: only the subject's owners (and administrators) upload
// and remove; photos follow their subject's visibility, and only public
// ones are cached publicly; talents have no photo pages.
func TestWhoMayDoWhat(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	anna := w.s.Login(t, "anna@example.nl")
	bob := w.s.Login(t, "bob@example.nl")
	admin := w.s.Login(t, "beheer@example.nl")
	anon := w.s.Client(t)
	pic := testJPEG(t, 100, 80)

	wantStatus(t, "bob uploads", w.post(t, bob, iniPath(w.ini), uuid.New(), "Niet van mij", "f.jpg", pic), http.StatusForbidden)
	wantStatus(t, "bob uploads to place", w.post(t, bob, placePath(w.place), uuid.New(), "Niet van mij", "f.jpg", pic), http.StatusForbidden)
	if res := w.post(t, anon, iniPath(w.ini), uuid.New(), "Anoniem", "f.jpg", pic); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Location(), "/inloggen") {
		t.Errorf("anonymous upload: %d %s", res.StatusCode, res.Location())
	}
	wantStatus(t, "talent page", anna.Get(placePath(w.talent)), http.StatusNotFound)
	wantStatus(t, "talent upload", w.post(t, anna, placePath(w.talent), uuid.New(), "Talent", "f.jpg", pic), http.StatusNotFound)
	contains(t, "bob's view", bob.Get(iniPath(w.ini)).Body, `enctype="multipart/form-data"`, false)

	wantStatus(t, "place", w.post(t, anna, placePath(w.place), uuid.New(), "De grote zaal van het buurthuis", "f.jpg", pic), http.StatusSeeOther)
	wantStatus(t, "admin uploads", w.post(t, admin, iniPath(w.members), uuid.New(), "Ledenfoto", "f.jpg", pic), http.StatusSeeOther)
	var placePhoto, membersPhoto int64
	w.scan(t, &placePhoto, `SELECT id FROM photos WHERE asset_id = $1`, w.place)
	w.scan(t, &membersPhoto, `SELECT id FROM photos WHERE initiative_id = $1`, w.members)

	// Members-only: anonymous visitors are sent to log in and get no image;
	// members get it, privately.
	if res := anon.Get(iniPath(w.members)); res.StatusCode != http.StatusSeeOther {
		t.Errorf("anonymous on a members-only photo page: %d", res.StatusCode)
	}
	memberURL := srcPattern.FindString(bob.Get(iniPath(w.members)).Body)
	if memberURL == "" {
		t.Fatal("no image on the members-only page")
	}
	wantStatus(t, "anonymous members-only image", anon.Get(memberURL), http.StatusNotFound)
	res := bob.Get(memberURL)
	wantStatus(t, "member's image", res, http.StatusOK)
	if cc := res.Header.Get("Cache-Control"); strings.Contains(cc, "public") {
		t.Errorf("members-only image cached publicly: %q", cc)
	}

	// The place's photo: bob reports it, the administrator hides it.
	placeURL := srcPattern.FindString(anon.Get(placePath(w.place)).Body)
	wantStatus(t, "place image", anon.Get(placeURL), http.StatusOK)
	report := "/fotos/" + id(placePhoto) + "/melden"
	wantStatus(t, "report form", bob.Get(report), http.StatusOK)
	wantStatus(t, "own photo", anna.Get(report), http.StatusNotFound)
	wantStatus(t, "report", bob.PostForm(report, url.Values{"reden": {"Er staan kinderen herkenbaar op."}}), http.StatusSeeOther)
	queue := admin.Get("/beheer/moderatie")
	contains(t, "queue", queue.Body, `data-testid="queue-item" data-kind="foto"`, true)
	wantStatus(t, "hide form", admin.Get("/beheer/moderatie/verbergen?soort=foto&id="+id(placePhoto)), http.StatusOK)
	wantStatus(t, "hide", admin.PostForm("/beheer/moderatie/verbergen", url.Values{"soort": {"foto"}, "id": {id(placePhoto)}, "reden": {"Kinderen herkenbaar in beeld."}}), http.StatusSeeOther)
	contains(t, "hidden list", admin.Get("/beheer/moderatie").Body, `data-testid="hidden-item" data-kind="foto"`, true)
	wantStatus(t, "hidden image for others", anon.Get(placeURL), http.StatusNotFound)
	wantStatus(t, "hidden image for bob", bob.Get(placeURL), http.StatusNotFound)
	res = anna.Get(placeURL)
	wantStatus(t, "hidden image for its owner", res, http.StatusOK)
	if cc := res.Header.Get("Cache-Control"); strings.Contains(cc, "public") {
		t.Errorf("hidden image cached publicly: %q", cc)
	}
	contains(t, "owner's page", anna.Get(placePath(w.place)).Body, "Kinderen herkenbaar in beeld.", true)
	contains(t, "bob's page", bob.Get(placePath(w.place)).Body, `data-testid="no-photos"`, true)
	if n := w.count(t, `SELECT count(*) FROM notifications WHERE recipient_id = $1 AND body LIKE '%Kinderen herkenbaar%'`, w.anna.ID); n != 1 {
		t.Errorf("%d notifications to the uploader, want 1", n)
	}
	wantStatus(t, "show", admin.PostForm("/beheer/moderatie/tonen", url.Values{"soort": {"foto"}, "id": {id(placePhoto)}}), http.StatusSeeOther)
	wantStatus(t, "shown again", anon.Get(placeURL), http.StatusOK)

	// A hidden initiative hides its photos from everyone but its owners.
	w.exec(t, `UPDATE initiatives SET hidden_at = now(), hidden_reason = 'Test' WHERE id = $1`, w.members)
	wantStatus(t, "hidden initiative's image", bob.Get(memberURL), http.StatusNotFound)
	wantStatus(t, "hidden initiative's image for its owner", anna.Get(memberURL), http.StatusOK)

	// Removing: not bob; anna removes her place's photo, bytes and all.
	remove := "/fotos/" + id(placePhoto) + "/verwijderen"
	wantStatus(t, "bob removes", bob.PostForm(remove, nil), http.StatusForbidden)
	res = anna.PostForm(remove, nil)
	wantStatus(t, "anna removes", res, http.StatusSeeOther)
	if res.Location() != placePath(w.place) {
		t.Errorf("after removing: %q", res.Location())
	}
	if n := w.count(t, `SELECT count(*) FROM photo_variants WHERE photo_id = $1`, placePhoto); n != 0 {
		t.Errorf("%d stored widths left", n)
	}
	wantStatus(t, "removed image", anon.Get(placeURL), http.StatusNotFound)
	wantStatus(t, "remove again", anna.PostForm(remove, nil), http.StatusNotFound)
}

// TestSuspensionHidesPhotos: suspending the uploader with their content
// hides their photos (not another owner's); lifting it shows exactly those
// again.
func TestSuspensionHidesPhotos(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	anna := w.s.Login(t, "anna@example.nl")
	admin := w.s.Login(t, "beheer@example.nl")
	pic := testJPEG(t, 100, 80)
	wantStatus(t, "anna's", w.post(t, anna, iniPath(w.ini), uuid.New(), "Van Anna", "f.jpg", pic), http.StatusSeeOther)
	wantStatus(t, "admin's", w.post(t, admin, iniPath(w.ini), uuid.New(), "Van de beheerder", "f.jpg", pic), http.StatusSeeOther)
	acc := "/beheer/accounts/" + id(w.anna.ID)
	wantStatus(t, "suspend", admin.PostForm(acc+"/schorsen", url.Values{"reden": {"Herhaald kwetsend."}, "verbergen": {"ja"}}), http.StatusSeeOther)
	if n := w.count(t, `SELECT count(*) FROM photos WHERE hidden_by_suspension`); n != 1 {
		t.Errorf("%d photos hidden by the suspension, want 1 (Anna's)", n)
	}
	if n := w.count(t, `SELECT count(*) FROM photos WHERE alt_text = 'Van de beheerder' AND hidden_at IS NULL`); n != 1 {
		t.Errorf("the administrator's photo was hidden with Anna's")
	}
	wantStatus(t, "lift", admin.PostForm(acc+"/schorsing-opheffen", nil), http.StatusSeeOther)
	if n := w.count(t, `SELECT count(*) FROM photos WHERE hidden_at IS NOT NULL`); n != 0 {
		t.Errorf("%d photos still hidden after lifting", n)
	}
}

// TestLastPlaceTakenOnce: with five photos stored, two uploads at once
// take the sixth place once; the other is refused as full.
func TestLastPlaceTakenOnce(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	store := photo.NewStore(w.s.DB)
	p, err := photo.Process(testJPEG(t, 40, 30))
	if err != nil {
		t.Fatal(err)
	}
	anna := photo.Viewer{ID: w.anna.ID}
	for range photo.MaxPhotos - 1 {
		if _, err := store.Add(context.Background(), photo.Initiative, w.ini, anna, "Foto", uuid.New(), p); err != nil {
			t.Fatal(err)
		}
	}
	errs := make(chan error, 2)
	for range 2 {
		go func() {
			_, err := store.Add(context.Background(), photo.Initiative, w.ini, anna, "Tegelijk", uuid.New(), p)
			errs <- err
		}()
	}
	var full int
	for range 2 {
		switch err := <-errs; {
		case errors.Is(err, photo.ErrFull):
			full++
		case err != nil:
			t.Fatal(err)
		}
	}
	if n := w.count(t, `SELECT count(*) FROM photos WHERE initiative_id = $1`, w.ini); n != photo.MaxPhotos || full != 1 {
		t.Errorf("%d photos and %d refusals, want %d and 1", n, full, photo.MaxPhotos)
	}
	// Bob manages nothing here: the store refuses him too.
	if _, err := store.Add(context.Background(), photo.Place, w.place, photo.Viewer{ID: w.bob.ID}, "Niet van mij", uuid.New(), p); !errors.Is(err, photo.ErrForbidden) {
		t.Errorf("bob adds to anna's place: %v", err)
	}
}

// TestSlowUploadGetsMoreTime: the server reads a request within its
// ReadTimeout, but an upload from a slow phone takes longer; the upload
// route extends its own deadline. Here the server allows 300 ms and the
// file arrives after 800 ms.
func TestSlowUploadGetsMoreTime(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	anna := w.s.Login(t, "anna@example.nl")
	srv := httptest.NewUnstartedServer(w.s.App.Handler())
	srv.Config.ReadTimeout = 300 * time.Millisecond
	srv.Start()
	t.Cleanup(srv.Close)

	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		_ = mw.WriteField("sleutel", uuid.New())
		_ = mw.WriteField("alt", "Langzaam geüpload")
		fw, _ := mw.CreateFormFile("foto", "f.jpg")
		time.Sleep(800 * time.Millisecond)
		_, _ = fw.Write(testJPEG(t, 60, 40))
		_ = mw.Close()
		_ = pw.Close()
	}()
	req, err := http.NewRequest(http.MethodPost, srv.URL+iniPath(w.ini), pr)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	// The session cookie is the host's, whatever the port.
	res := anna.Do(req)
	wantStatus(t, "slow upload", res, http.StatusSeeOther)
	if n := w.count(t, `SELECT count(*) FROM photos WHERE alt_text = 'Langzaam geüpload'`); n != 1 {
		t.Errorf("%d photos stored", n)
	}
}
