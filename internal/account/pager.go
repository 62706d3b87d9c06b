package account

import (
	"net/url"
	"strconv"
)

// Pager describes one page of a long list and builds the links to its
// neighbours, keeping the list's other query parameters.
type Pager struct {
	Page, PerPage, Total int
	Path                 string
	Query                url.Values // filters to keep; "pagina" is set per link
}

// newPager starts a pager on page of a list at path; keep holds the
// filters every page link repeats.
func newPager(path string, keep url.Values, page, perPage int) Pager {
	return Pager{Page: max(page, 1), PerPage: perPage, Path: path, Query: keep}
}

// pageParam reads ?pagina= (1 when absent or junk).
func pageParam(q url.Values) int {
	n, err := strconv.Atoi(q.Get("pagina"))
	if err != nil || n < 1 || n > 100_000 {
		return 1
	}
	return n
}

// Offset is the number of rows before this page.
func (p Pager) Offset() int { return (p.Page - 1) * p.PerPage }

// Pages is the number of pages (at least 1).
func (p Pager) Pages() int { return max(1, (p.Total+p.PerPage-1)/p.PerPage) }

// HasPrev reports whether there is a page before this one.
func (p Pager) HasPrev() bool { return p.Page > 1 }

// HasNext reports whether there is a page after this one.
func (p Pager) HasNext() bool { return p.Page < p.Pages() }

// URL links to page n.
func (p Pager) URL(n int) string {
	q := url.Values{}
	for k, v := range p.Query {
		q[k] = v
	}
	if n > 1 {
		q.Set("pagina", strconv.Itoa(n))
	}
	if len(q) == 0 {
		return p.Path
	}
	return p.Path + "?" + q.Encode()
}
