package message_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/buurtkracht/buurtkracht/internal/testkit"
	"github.com/buurtkracht/buurtkracht/internal/testkit/fuzzcheck"
)

// messageRequests are the requests FuzzMessageHTTP sends, by the fuzzed
// selector; {id} is a conversation of Eva and Tom, {mid} Tom's message in it.
var messageRequests = []struct {
	method, path, as string
}{
	{"POST", "/berichten/nieuw", "eva"},
	{"POST", "/berichten/{id}", "eva"},
	{"POST", "/berichten/{id}/berichten/{mid}/melden", "eva"},
	{"POST", "/berichten/{id}/blokkeren", "eva"},
	{"POST", "/berichten/{id}/deblokkeren", "eva"},
	{"GET", "/berichten/nieuw", "eva"},
	{"GET", "/berichten", "eva"},
	{"POST", "/berichten/{id}", "piet"}, // not a participant
}

// FuzzMessageHTTP posts fuzzed message forms to the running platform: never
// a 5xx, and every refusal is a 4xx page with a message.
func FuzzMessageHTTP(f *testing.F) {
	s := testkit.NewServer(f)
	w := seedWorld(f, s)
	eva, tom := s.Login(f, "eva@example.nl"), s.Login(f, "tom@example.nl")
	path := mustStart(f, eva, "hulpbron", w.talent, "Hallo Tom")
	if res := reply(f, tom, path, "Hallo Eva"); res.StatusCode != 303 {
		f.Fatal(res.StatusCode)
	}
	conv := convID(f, path)
	mid := scalar(f, s, `SELECT max(id) FROM messages`)
	clients := map[string]*testkit.Client{"eva": eva, "piet": s.Login(f, "piet@example.nl")}
	k := "6f1c2b9e-8a4d-4c3b-9e2f-0a1b2c3d4e5f"
	talent := strconv.FormatInt(w.talent, 10)
	seeds := [][]string{
		{"over=hulpbron&id=" + talent + "&sleutel=" + k + "&bericht=Hallo", "over=hulpbron&id=" + talent + "&sleutel=" + k + "&bericht=%00",
			"over=aanbod&id=-1&sleutel=x&bericht=", "over=hulpbron&id=" + talent + "&sleutel=" + k + "&bericht=%ff%fe", "over=%00&id=99999999999999999999"},
		{"sleutel=" + k + "&bericht=Ja", "sleutel=" + k + "&bericht=" + strings.Repeat("x", 4001), "bericht=zonder+sleutel", "sleutel=" + k + "&bericht=https://spam.example"},
		{"reden=Reclame", "reden=", "reden=%00", "reden=" + strings.Repeat("r", 1001)},
		{"", "persoon=1", "persoon=x", "persoon=-5"},
		{"", "persoon=" + strconv.FormatInt(w.tom.ID, 10)},
		{"over=hulpbron&id=" + talent, "over=initiatief&id=0", "over=aanbod&id=x%00", "over=&id="},
		{"na=0", "na=-1", "na=x", "na=99999999999999999999"},
		{"sleutel=" + k + "&bericht=Ik+lees+mee"},
	}
	for which, bodies := range seeds {
		for _, b := range bodies {
			f.Add(uint8(which), b)
		}
	}
	f.Fuzz(func(t *testing.T, which uint8, body string) {
		req := messageRequests[int(which)%len(messageRequests)]
		p := strings.NewReplacer("{id}", strconv.FormatInt(conv, 10), "{mid}", strconv.FormatInt(mid, 10)).Replace(req.path)
		c := clients[req.as].HTTP
		var res fuzzcheck.Response
		if req.method == "GET" {
			res = fuzzcheck.Get(t, c, s.URL, p, fuzzcheck.Query(body))
		} else {
			res = fuzzcheck.PostForm(t, c, s.URL+p, body)
		}
		fuzzcheck.Answer(t, req.method+" "+p, res)
	})
}
