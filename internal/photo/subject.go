package photo

import "strconv"

// Kind is the kind of thing photos belong to.
type Kind string

// The kinds with photos. Another kind needs a constant, an entry in kinds,
// a branch in subjectOf (store.go) and its two routes in internal/app.
const (
	Initiative Kind = "initiatief"
	Place      Kind = "plek" // an asset of kind 'plek' on the asset map
	Event      Kind = "bijeenkomst"
)

// kindDef says where photos of a kind live and, in SQL, who sees and who
// manages a subject of that kind.
type kindDef struct {
	column string // the photos column that points at the subject
	path   string // the subject's photo page is path + id + "/fotos"
	// subject reads one subject: $1 its id, $2 the viewer's account id (0
	// when anonymous), $3 whether the viewer is an administrator. Columns:
	// title, link (its own page), visible (to this viewer), public (to
	// anyone: its photos may be cached publicly), manage (the viewer adds
	// and removes photos).
	subject string
}

var kinds = map[Kind]kindDef{
	// Initiatives: hidden ones for owners and administrators only,
	// members-only ones for logged-in users; owners manage photos.
	Initiative: {column: "initiative_id", path: "/initiatieven/", subject: `
		SELECT i.title, '/initiatieven/' || i.id,
		       (i.hidden_at IS NULL OR o.owner OR $3) AND (i.visibility = 'public' OR $2 <> 0),
		       i.hidden_at IS NULL AND i.visibility = 'public',
		       o.owner OR $3
		FROM initiatives i
		CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM initiative_owners w
		                                   WHERE w.initiative_id = i.id AND w.account_id = $2) AS owner) o
		WHERE i.id = $1`},
	// Places on the asset map (not networks, businesses or talents): the
	// creator and administrators manage photos, as they edit the place.
	Place: {column: "asset_id", path: "/hulpbronnen/", subject: `
		SELECT a.name, '/buurten/' || n.code || '/wie-kan-helpen#hulpbron-' || a.id,
		       (NOT a.hidden OR a.created_by = $2 OR $3) AND (a.visibility = 'public' OR $2 <> 0),
		       NOT a.hidden AND a.visibility = 'public',
		       (a.created_by = $2 AND $2 <> 0) OR $3
		FROM assets a JOIN neighbourhoods n ON n.id = a.neighbourhood_id
		WHERE a.id = $1 AND a.kind = 'plek'`},
	// Events, seen as the agenda sees them (internal/event's visibleSQL):
	// members-only ones need a login, hidden ones are for the organisers
	// and administrators. The organisers (its creator, or an owner of its
	// initiative) manage photos, as they edit the event; a cancelled event
	// stays visible on its page, so its photos stay too.
	Event: {column: "event_id", path: "/bijeenkomsten/", subject: `
		SELECT e.title, '/bijeenkomsten/' || e.id,
		       (e.hidden_at IS NULL OR o.organiser OR $3) AND (e.visibility = 'public' OR $2 <> 0),
		       e.hidden_at IS NULL AND e.visibility = 'public',
		       o.organiser OR $3
		FROM events e
		CROSS JOIN LATERAL (SELECT $2::bigint <> 0 AND (COALESCE(e.created_by = $2, false)
		                           OR EXISTS (SELECT 1 FROM initiative_owners w
		                                      WHERE w.initiative_id = e.initiative_id AND w.account_id = $2)) AS organiser) o
		WHERE e.id = $1`},
}

// Subject is something photos belong to, as one viewer sees it.
type Subject struct {
	Kind    Kind
	ID      int64
	Title   string
	Link    string // the subject's own page
	Visible bool   // the viewer may see it (and its visible photos)
	Public  bool   // anyone may: its shown photos may be cached publicly
	Manage  bool   // the viewer adds and removes its photos
}

// PhotosPath is the subject's photo page, where photos are added.
func (s Subject) PhotosPath() string {
	return kinds[s.Kind].path + strconv.FormatInt(s.ID, 10) + "/fotos"
}

// Photo is one photo with its stored widths.
type Photo struct {
	ID           int64
	Alt          string
	Width        int // of the largest variant
	Height       int
	Hash         string
	Widths       []int
	PNG          bool // stored as PNG (it has transparency)
	UploadedBy   int64
	Hidden       bool
	HiddenReason string
}

// URL is the address of the photo at width w: the hash in it changes with
// the bytes, so the bytes at a URL never change.
func (p Photo) URL(w int) string {
	ext := ".jpg"
	if p.PNG {
		ext = ".png"
	}
	return "/fotos/" + strconv.FormatInt(p.ID, 10) + "/" + strconv.Itoa(w) + "-" + p.Hash + ext
}

// Src is the largest width's URL.
func (p Photo) Src() string {
	if len(p.Widths) == 0 {
		return ""
	}
	return p.URL(p.Widths[len(p.Widths)-1])
}

// SrcSet lists every stored width for the srcset attribute.
func (p Photo) SrcSet() string {
	s := ""
	for i, w := range p.Widths {
		if i > 0 {
			s += ", "
		}
		s += p.URL(w) + " " + strconv.Itoa(w) + "w"
	}
	return s
}

// ReportPath is where a logged-in viewer reports the photo.
func (p Photo) ReportPath() string { return "/fotos/" + strconv.FormatInt(p.ID, 10) + "/melden" }
