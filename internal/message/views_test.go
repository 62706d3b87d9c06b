package message_test

import (
	"net/http"
	"net/url"
	osexec "os/exec"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/net/html"

	"github.com/buurtkracht/buurtkracht/internal/testkit"
)

// Every page of the feature, in each of its states, is valid HTML (W3C Nu
// checker), has no stray spaces before punctuation and no visually hidden
// text glued to the word before it.
func TestPagesValid(t *testing.T) {
	t.Parallel()
	if _, err := osexec.LookPath("java"); err != nil {
		t.Skip("java is needed for the W3C Nu HTML checker")
	}
	s := testkit.NewServer(t)
	w := seedWorld(t, s)
	pages := map[string]string{}
	add := func(name string, res testkit.Response, status int) {
		t.Helper()
		if res.StatusCode != status {
			t.Fatalf("%s: status %d, want %d", name, res.StatusCode, status)
		}
		pages[name] = res.Body
	}

	eva := s.Login(t, "eva@example.nl")
	add("empty list", eva.Get("/berichten"), http.StatusOK)
	add("start form", eva.Get(startPath("initiatief", w.initiative)), http.StatusOK)
	add("start 422", start(t, eva, "hulpbron", w.talent, ""), http.StatusUnprocessableEntity)
	path := mustStart(t, eva, "initiatief", w.initiative, "Mag ik meedoen? Zie https://voorbeeld.nl")
	add("start form, existing conversation", eva.Get(startPath("initiatief", w.initiative)), http.StatusOK)
	add("reply 422", reply(t, eva, path, strings.Repeat("x", 4001)), http.StatusUnprocessableEntity)

	piet := s.Login(t, "piet@example.nl")
	add("list with unread", piet.Get("/berichten"), http.StatusOK)
	add("own initiative", piet.Get(startPath("initiatief", w.initiative)), http.StatusOK)
	if res := piet.PostForm(path+"/blokkeren", url.Values{"persoon": {strconv.FormatInt(w.eva.ID, 10)}}); res.StatusCode != http.StatusSeeOther {
		t.Fatal(res.StatusCode)
	}
	add("thread with a block", piet.Get(path), http.StatusOK)
	add("blocked reply", reply(t, eva, path, "Hallo?"), http.StatusUnprocessableEntity)
	msg := scalar(t, s, `SELECT min(id) FROM messages`)
	report := path + "/berichten/" + strconv.FormatInt(msg, 10) + "/melden"
	add("report form", piet.Get(report), http.StatusOK)
	add("report 422", piet.PostForm(report, url.Values{"reden": {""}}), http.StatusUnprocessableEntity)

	admin := s.Login(t, "beheer@example.nl")
	add("no reports", admin.Get("/beheer/berichten"), http.StatusOK)
	if res := piet.PostForm(report, url.Values{"reden": {"Reclame."}}); res.StatusCode != http.StatusSeeOther {
		t.Fatal(res.StatusCode)
	}
	add("reports", admin.Get("/beheer/berichten"), http.StatusOK)
	add("already reported", piet.Get(report), http.StatusOK)
	add("asset list with message links", eva.Get("/buurten/BU03440111/wie-kan-helpen"), http.StatusOK)

	exec(t, s, `UPDATE accounts SET email_confirmed_at = NULL WHERE id = $1`, w.eva.ID)
	add("unconfirmed start", eva.Get(startPath("hulpbron", w.place)), http.StatusOK)
	add("unconfirmed thread", eva.Get(path), http.StatusOK)

	for name, body := range pages {
		for _, p := range textProblems(body) {
			t.Errorf("%s: %s", name, p)
		}
	}
	errs, err := testkit.ValidateHTML(pages)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range errs {
		t.Errorf("invalid HTML: %s", e)
	}
}

// textProblems finds stray spaces before punctuation in the visible text and
// visually hidden text glued to the word before it.
func textProblems(page string) []string {
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return []string{err.Error()}
	}
	var out []string
	var b strings.Builder
	block := map[string]bool{"p": true, "li": true, "td": true, "th": true, "dd": true, "dt": true, "div": true, "h1": true, "h2": true, "h3": true, "option": true}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && (n.Data == "script" || n.Data == "style" || n.Data == "textarea" || n.Data == "title") {
			return
		}
		if n.Type == html.ElementNode {
			for _, a := range n.Attr {
				if a.Key == "class" && strings.Contains(a.Val, "bk-visually-hidden") && n.PrevSibling != nil && n.PrevSibling.Type == html.TextNode {
					prev := []rune(n.PrevSibling.Data)
					inner := ""
					if n.FirstChild != nil && n.FirstChild.Type == html.TextNode {
						inner = n.FirstChild.Data
					}
					if len(prev) > 0 && unicode.IsLetter(prev[len(prev)-1]) && inner != "" && unicode.IsLetter([]rune(inner)[0]) {
						out = append(out, "glued: "+n.PrevSibling.Data+inner)
					}
				}
			}
		}
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		if n.Type == html.ElementNode && block[n.Data] {
			b.WriteString("\n")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if n.Type == html.ElementNode && block[n.Data] {
			b.WriteString("\n")
		}
	}
	walk(doc)
	for _, line := range testkit.StraySpaces(b.String()) {
		out = append(out, "stray space: "+line)
	}
	return out
}
