package overview

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/buurtkracht/buurtkracht/internal/cbs"
	"github.com/buurtkracht/buurtkracht/internal/csvfile"
	"github.com/buurtkracht/buurtkracht/internal/gzipsplice"
	"github.com/buurtkracht/buurtkracht/internal/httpx"
)

// CSV files open in Excel with Dutch settings: UTF-8 with a byte order
// mark, semicolons, decimal commas, CRLF line ends, a Dutch header row.

// CSV column names that are also used to list hidden cells.
const (
	colMembers      = "Deelnemers initiatieven"
	colPeople       = "Personen in gesprekken"
	colParticipants = "Deelnemers activiteiten"
	colHelpAsked    = "Hulpvragen van buren"
	colHelpAnswered = "Hulpvragen beantwoord"
	// colHidden lists, per row, the person count columns left empty because
	// the count is 1 to 4: a "< 5" text in a numeric column would break sums
	// in a spreadsheet.
	colHidden = "Verborgen (< 5)"
	// Inwoners adds up the known neighbourhoods; these say how many of
	// how many that is.
	colPopulationKnown = "Buurten met bekend inwonertal"
	colNeighbourhoods  = "Buurten"
)

// csvHeader is the header of the overview table export.
var csvHeader = []string{"Niveau", "Code", "Naam", "Wijkcode", "Wijk", "Inwoners", colPopulationKnown, colNeighbourhoods,
	"Actieve initiatieven", colMembers, "Straatcontacten", colPeople,
	"Activiteiten", colParticipants, "Verbinden", "Overbruggen", "Koppelen",
	"Verbinden %", "Overbruggen %", "Koppelen %", "Meest genoemde thema's", "Open signalen",
	"Signalen gemeld", "Signalen zonder reactie", "Mediane tijd tot eerste reactie, beantwoorde signalen (uren)",
	"Langst wachtend zonder reactie (uren)", "Toegekend buurtbudget (euro)", colHelpAsked, colHelpAnswered, colHidden}

// hiddenCells collects the columns of one CSV row whose person count is
// hidden: the cell stays empty and the column is named in colHidden.
type hiddenCells []string

func (hc *hiddenCells) cell(c Count, column string) string {
	if c.Hidden {
		*hc = append(*hc, column)
		return ""
	}
	return strconv.FormatInt(c.N, 10)
}

func (hc hiddenCells) String() string { return strings.Join(hc, ", ") }

func hoursCSV(h *float64) string {
	if h == nil {
		return ""
	}
	return decimal(*h, 1)
}

func csvRow(r Row, now time.Time) []string {
	pop := ""
	if r.Population != nil {
		pop = strconv.FormatInt(*r.Population, 10)
	}
	pct := r.Mix.Percentages()
	var hidden hiddenCells
	members := hidden.cell(r.InitiativeMembers, colMembers)
	people := hidden.cell(r.People, colPeople)
	participants := hidden.cell(r.ActivityParticipants, colParticipants)
	helpAsked := hidden.cell(r.HelpAsked, colHelpAsked)
	helpAnswered := hidden.cell(r.HelpAnswered, colHelpAnswered)
	return []string{r.Level, r.Code, r.Name, r.DistrictCode, r.DistrictName, pop,
		strconv.FormatInt(r.PopulationKnown, 10), strconv.FormatInt(r.Neighbourhoods, 10),
		strconv.FormatInt(r.ActiveInitiatives, 10), members, strconv.FormatInt(r.Contacts, 10),
		people, strconv.FormatInt(r.Activities, 10), participants,
		strconv.FormatInt(r.Mix.Bonding, 10), strconv.FormatInt(r.Mix.Bridging, 10), strconv.FormatInt(r.Mix.Linking, 10),
		strconv.Itoa(pct[0]), strconv.Itoa(pct[1]), strconv.Itoa(pct[2]), themeList(r.TopThemes),
		strconv.FormatInt(r.OpenSignals, 10), strconv.FormatInt(r.SignalsRaised, 10), strconv.FormatInt(r.SignalsUnanswered, 10),
		hoursCSV(r.MedianResponseHours), hoursCSV(r.OldestWaitHours(now)), eurosCSV(r.FundingCents), helpAsked, helpAnswered, hidden.String()}
}

func writeCSV(w http.ResponseWriter, filename string, records [][]string) error {
	// The shared writer also keeps names and themes from running as formulas.
	return csvfile.Serve(w, filename, records)
}

func periodSlug(p Period) string { return p.From.Format("2006-01") + "_" + p.To.Format("2006-01") }

// refusePeriod answers an export whose period was refused: 422 with the
// message and a way back, as an HTML page (there is no CSV to give).
func refusePeriod(w http.ResponseWriter, r *http.Request, msg, back string) error {
	p := httpx.PageFor(r, "Deze periode kan niet")
	return httpx.Render(w, r, http.StatusUnprocessableEntity, PeriodRefusedPage(p, msg, back))
}

// ExportCSV serves /overzicht/export.csv with the same query as the page.
func (h *Handler) ExportCSV(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	sc, err := h.scope(ctx, httpx.ViewerFrom(ctx))
	if err != nil {
		return err
	}
	q := readQuery(r.URL.Query())
	m, ok, err := h.municipality(ctx, sc, q.Gemeente)
	if err != nil {
		return err
	}
	if !ok {
		// An administrator who has not chosen a municipality: there is no
		// overview to export.
		return fmt.Errorf("overview: export without a municipality: %w", ErrNotFound)
	}
	view, err := h.overview(ctx, sc, m, q)
	if err != nil {
		return err
	}
	if view.PeriodError != "" {
		return refusePeriod(w, r, view.PeriodError, view.Query.URL("/overzicht"))
	}
	records := [][]string{csvHeader}
	for _, row := range view.Table.Rows {
		records = append(records, csvRow(row, view.Now))
	}
	for _, row := range view.Table.Districts {
		records = append(records, csvRow(row, view.Now))
	}
	records = append(records, csvRow(view.Table.Total, view.Now))
	return writeCSV(w, "overzicht_"+m.Code+"_"+periodSlug(view.Period)+".csv", records)
}

// drillHeader is the header of the drill-down export (one row per month).
var drillHeader = []string{"Maand", "Straatcontacten", colPeople, "Activiteiten", colParticipants,
	"Initiatieven gestart", "Signalen", "Verbinden", "Overbruggen", "Koppelen", colHidden}

// DrillCSV serves /overzicht/buurten/{code}/export.csv: the monthly figures.
func (h *Handler) DrillCSV(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	sc, err := h.scope(ctx, httpx.ViewerFrom(ctx))
	if err != nil {
		return err
	}
	code := chi.URLParam(r, "code")
	if !cbs.IsNeighbourhood(code) {
		return fmt.Errorf("overview: neighbourhood code %q: %w", code, ErrNotFound)
	}
	nb, err := h.data.NeighbourhoodByCode(ctx, sc, code)
	if err != nil {
		return err
	}
	q := readQuery(r.URL.Query())
	period, perr := ParsePeriod(h.now(), q)
	if perr != "" {
		back := q.periodQuery().withPeriod(period)
		back.Gemeente = nb.Municipality.Code
		return refusePeriod(w, r, perr, back.URL("/overzicht/buurten/"+nb.Code))
	}
	trend, err := h.data.Trend(ctx, sc, nb.ID, period)
	if err != nil {
		return err
	}
	records := [][]string{drillHeader}
	for _, m := range trend {
		mix := m.Mix()
		var hidden hiddenCells
		people := hidden.cell(m.People, colPeople)
		participants := hidden.cell(m.ActivityParticipants, colParticipants)
		records = append(records, []string{m.Month.Format("2006-01"), strconv.FormatInt(m.Contacts, 10), people,
			strconv.FormatInt(m.Activities, 10), participants, strconv.FormatInt(m.InitiativesStarted, 10),
			strconv.FormatInt(m.Signals, 10), strconv.FormatInt(mix.Bonding, 10), strconv.FormatInt(mix.Bridging, 10),
			strconv.FormatInt(mix.Linking, 10), hidden.String()})
	}
	return writeCSV(w, "buurt_"+nb.Code+"_"+periodSlug(period)+".csv", records)
}

// APIRow is a row of the JSON export. Person counts are published by the
// overview's one rule: null when hidden (1–4, and then named in
// Suppressed), else 0 or a multiple of 5.
type APIRow struct {
	Level                string   `json:"level"`
	Code                 string   `json:"code"`
	Name                 string   `json:"name"`
	DistrictCode         string   `json:"district_code,omitempty"`
	DistrictName         string   `json:"district_name,omitempty"`
	Population           *int64   `json:"population"`
	PopulationKnown      int64    `json:"population_known_neighbourhoods"`
	Neighbourhoods       int64    `json:"neighbourhoods"`
	ActiveInitiatives    int64    `json:"active_initiatives"`
	InitiativeMembers    *int64   `json:"initiative_members"`
	Contacts             int64    `json:"street_contacts"`
	People               *int64   `json:"people_reached"`
	Activities           int64    `json:"activities"`
	ActivityParticipants *int64   `json:"activity_participants"`
	Strategy             APIMix   `json:"strategy_mix"`
	TopThemes            []string `json:"top_themes"`
	OpenSignals          int64    `json:"open_signals"`
	SignalsRaised        int64    `json:"signals_raised"`
	SignalsUnanswered    int64    `json:"signals_unanswered"`
	MedianResponseHours  *float64 `json:"median_hours_to_first_response"`
	OldestWaitHours      *float64 `json:"oldest_unanswered_wait_hours"`
	FundingGrantedCents  int64    `json:"funding_granted_cents"`
	HelpAsked            *int64   `json:"help_requests_asked"`
	HelpAnswered         *int64   `json:"help_requests_answered"`
	Suppressed           []string `json:"suppressed"`
}

// APIMix is the strategy mix in counts.
type APIMix struct {
	Bonding  int64 `json:"bonding"`
	Bridging int64 `json:"bridging"`
	Linking  int64 `json:"linking"`
}

// APIOverview is the JSON export of a municipality's overview.
type APIOverview struct {
	Municipality struct {
		Code string `json:"code"`
		Name string `json:"name"`
	} `json:"municipality"`
	From           string   `json:"from"`
	To             string   `json:"to"`
	Note           string   `json:"note"`
	Neighbourhoods []APIRow `json:"neighbourhoods"`
	Districts      []APIRow `json:"districts"`
	Total          APIRow   `json:"total"`
}

func apiRow(r Row, now time.Time) APIRow {
	out := APIRow{Level: r.Level, Code: r.Code, Name: r.Name, Population: r.Population,
		PopulationKnown: r.PopulationKnown, Neighbourhoods: r.Neighbourhoods,
		ActiveInitiatives: r.ActiveInitiatives, Contacts: r.Contacts, Activities: r.Activities,
		Strategy: APIMix{r.Mix.Bonding, r.Mix.Bridging, r.Mix.Linking}, TopThemes: r.TopThemes,
		OpenSignals: r.OpenSignals, SignalsRaised: r.SignalsRaised, SignalsUnanswered: r.SignalsUnanswered,
		MedianResponseHours: r.MedianResponseHours, OldestWaitHours: r.OldestWaitHours(now),
		FundingGrantedCents: r.FundingCents, Suppressed: []string{}}
	if r.Level == LevelNeighbourhood {
		out.DistrictCode, out.DistrictName = r.DistrictCode, r.DistrictName
	}
	count := func(c Count, field string) *int64 {
		if c.Hidden {
			out.Suppressed = append(out.Suppressed, field)
			return nil
		}
		n := c.N
		return &n
	}
	out.InitiativeMembers = count(r.InitiativeMembers, "initiative_members")
	out.People = count(r.People, "people_reached")
	out.HelpAsked = count(r.HelpAsked, "help_requests_asked")
	out.HelpAnswered = count(r.HelpAnswered, "help_requests_answered")
	out.ActivityParticipants = count(r.ActivityParticipants, "activity_participants")
	if out.TopThemes == nil {
		out.TopThemes = []string{}
	}
	return out
}

func apiError(w http.ResponseWriter, status int, msg string) error {
	return httpx.JSON(w, status, map[string]string{"error": msg})
}

// APIOverview serves GET /api/v1/municipalities/{gm_code}/overview?from=YYYY-MM-DD&to=YYYY-MM-DD.
// from and to span exactly one calendar month, quarter or year (default:
// the current year); anything else is refused, as on the page.
func (h *Handler) APIOverview(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	sc, err := h.scope(ctx, httpx.ViewerFrom(ctx))
	if err != nil {
		return err
	}
	code := strings.ToUpper(chi.URLParam(r, "gm_code"))
	if !cbs.IsMunicipality(code) {
		return apiError(w, http.StatusNotFound, msgAPINotFound)
	}
	now := h.now()
	q := r.URL.Query()
	period := DefaultPeriod(now)
	from, to := q.Get("from"), q.Get("to")
	if from != "" || to != "" {
		f, err1 := time.Parse(time.DateOnly, from)
		t, err2 := time.Parse(time.DateOnly, to)
		if err1 != nil || err2 != nil || t.Before(f) {
			return apiError(w, http.StatusUnprocessableEntity, msgAPIBadDates)
		}
		var ok bool
		if period, ok = PeriodOfDates(now, f, t); !ok {
			return apiError(w, http.StatusUnprocessableEntity, fmt.Sprintf(msgAPIWholePeriods, Years(now)[PickerYears-1], Years(now)[0]))
		}
	}
	m, err := h.data.MunicipalityByCode(ctx, sc, code)
	switch {
	case errors.Is(err, ErrNotFound):
		return apiError(w, http.StatusNotFound, msgAPINotFound)
	case errors.Is(err, ErrForbidden):
		return apiError(w, http.StatusForbidden, msgAPIForbidden)
	case err != nil:
		return err
	}
	// The answer depends only on the table (the viewer's access to m was
	// checked above): it is encoded and gzipped once per table refresh.
	filter := TableFilter{MunicipalityID: m.ID, Period: period}
	ans, _, err := h.pages.apis.get(ctx, tableKey(filter), func(ctx context.Context) (gzipsplice.Compressed, time.Time, error) {
		t, exp, err := h.data.Table(ctx, sc, filter)
		if err != nil {
			return gzipsplice.Compressed{}, exp, err
		}
		var out APIOverview
		out.Municipality.Code, out.Municipality.Name = m.Code, m.Name
		out.From, out.To = period.From.Format(time.DateOnly), period.LastDay().Format(time.DateOnly)
		out.Note = apiNote
		out.Neighbourhoods, out.Districts = []APIRow{}, []APIRow{}
		sortRows(t.Rows, "", "")
		for _, row := range t.Rows {
			out.Neighbourhoods = append(out.Neighbourhoods, apiRow(row, now))
		}
		for _, row := range t.Districts {
			out.Districts = append(out.Districts, apiRow(row, now))
		}
		out.Total = apiRow(t.Total, now)
		b, err := json.Marshal(out)
		return gzipsplice.Compress(append(b, '\n')), exp, err
	})
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	ans.Write(w, r, http.StatusOK)
	return nil
}
