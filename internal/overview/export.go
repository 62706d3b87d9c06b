package overview

import (
	"bytes"
	"encoding/csv"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/buurtkracht/buurtkracht/internal/httpx"
)

// CSV files open in Excel with Dutch settings: UTF-8 with a byte order
// mark, semicolons, decimal commas, CRLF line ends, a Dutch header row.

// csvHeader is the header of the overview table export.
var csvHeader = []string{"Niveau", "Code", "Naam", "Wijkcode", "Wijk", "Inwoners",
	"Actieve initiatieven", "Deelnemers initiatieven", "Straatcontacten", "Bereikte bewoners",
	"Activiteiten", "Deelnemers activiteiten", "Verbinden", "Overbruggen", "Koppelen",
	"Verbinden %", "Overbruggen %", "Koppelen %", "Meest genoemde thema's", "Open signalen",
	"Mediane tijd tot eerste reactie (uren)", "Toegekend buurtbudget (euro)"}

func csvRow(r Row) []string {
	pop := ""
	if r.Population != nil {
		pop = strconv.FormatInt(*r.Population, 10)
	}
	med := ""
	if r.MedianResponseHours != nil {
		med = decimal(*r.MedianResponseHours, 1)
	}
	pct := r.Mix.Percentages()
	return []string{r.Level, r.Code, r.Name, r.DistrictCode, r.DistrictName, pop,
		strconv.FormatInt(r.ActiveInitiatives, 10), csvCount(r.InitiativeMembers), strconv.FormatInt(r.Contacts, 10),
		csvCount(r.People), strconv.FormatInt(r.Activities, 10), csvCount(r.ActivityParticipants),
		strconv.FormatInt(r.Mix.Bonding, 10), strconv.FormatInt(r.Mix.Bridging, 10), strconv.FormatInt(r.Mix.Linking, 10),
		strconv.Itoa(pct[0]), strconv.Itoa(pct[1]), strconv.Itoa(pct[2]), themeList(r.TopThemes),
		strconv.FormatInt(r.OpenSignals, 10), med, eurosCSV(r.FundingCents)}
}

func csvCount(c Count) string {
	if c.Hidden {
		return "< 5"
	}
	return strconv.FormatInt(c.N, 10)
}

func writeCSV(w http.ResponseWriter, filename string, records [][]string) error {
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	cw := csv.NewWriter(&buf)
	cw.Comma = ';'
	cw.UseCRLF = true
	if err := cw.WriteAll(records); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	w.WriteHeader(http.StatusOK)
	_, _ = buf.WriteTo(w)
	return nil
}

func periodSlug(p Period) string { return p.From.Format("2006-01") + "_" + p.To.Format("2006-01") }

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
		return httpx.ErrNotFound
	}
	view, err := h.overview(ctx, sc, m, q)
	if err != nil {
		return err
	}
	records := [][]string{csvHeader}
	for _, row := range view.Table.Rows {
		records = append(records, csvRow(row))
	}
	for _, row := range view.Table.Districts {
		records = append(records, csvRow(row))
	}
	records = append(records, csvRow(view.Table.Total))
	return writeCSV(w, "overzicht_"+m.Code+"_"+periodSlug(view.Period)+".csv", records)
}

// drillHeader is the header of the drill-down export (one row per month).
var drillHeader = []string{"Maand", "Straatcontacten", "Bereikte bewoners", "Activiteiten", "Deelnemers activiteiten",
	"Initiatieven gestart", "Signalen", "Verbinden", "Overbruggen", "Koppelen"}

// DrillCSV serves /overzicht/buurten/{code}/export.csv: the monthly figures.
func (h *Handler) DrillCSV(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	sc, err := h.scope(ctx, httpx.ViewerFrom(ctx))
	if err != nil {
		return err
	}
	code := chi.URLParam(r, "code")
	if !buPattern.MatchString(code) {
		return httpx.ErrNotFound
	}
	nb, err := h.Store.NeighbourhoodByCode(ctx, sc, code)
	if err != nil {
		return storeErr(err)
	}
	q := readQuery(r.URL.Query())
	period, _ := ParsePeriod(h.now(), q.Periode, q.Van, q.Tot)
	trend, err := h.Store.Trend(ctx, sc, nb.ID, period)
	if err != nil {
		return err
	}
	records := [][]string{drillHeader}
	for _, m := range trend {
		mix := m.Mix()
		records = append(records, []string{m.Month.Format("2006-01"), strconv.FormatInt(m.Contacts, 10), csvCount(m.People),
			strconv.FormatInt(m.Activities, 10), csvCount(m.ActivityParticipants), strconv.FormatInt(m.InitiativesStarted, 10),
			strconv.FormatInt(m.Signals, 10), strconv.FormatInt(mix.Bonding, 10), strconv.FormatInt(mix.Bridging, 10),
			strconv.FormatInt(mix.Linking, 10)})
	}
	return writeCSV(w, "buurt_"+nb.Code+"_"+periodSlug(period)+".csv", records)
}

// APIRow is a row of the JSON export. Person counts are null when hidden
// (1–4); Suppressed names those fields.
type APIRow struct {
	Level                string   `json:"level"`
	Code                 string   `json:"code"`
	Name                 string   `json:"name"`
	DistrictCode         string   `json:"district_code,omitempty"`
	DistrictName         string   `json:"district_name,omitempty"`
	Population           *int64   `json:"population"`
	ActiveInitiatives    int64    `json:"active_initiatives"`
	InitiativeMembers    *int64   `json:"initiative_members"`
	Contacts             int64    `json:"street_contacts"`
	People               *int64   `json:"people_reached"`
	Activities           int64    `json:"activities"`
	ActivityParticipants *int64   `json:"activity_participants"`
	Strategy             APIMix   `json:"strategy_mix"`
	TopThemes            []string `json:"top_themes"`
	OpenSignals          int64    `json:"open_signals"`
	MedianResponseHours  *float64 `json:"median_hours_to_first_response"`
	FundingGrantedCents  int64    `json:"funding_granted_cents"`
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

func apiRow(r Row) APIRow {
	out := APIRow{Level: r.Level, Code: r.Code, Name: r.Name, Population: r.Population,
		ActiveInitiatives: r.ActiveInitiatives, Contacts: r.Contacts, Activities: r.Activities,
		Strategy: APIMix{r.Mix.Bonding, r.Mix.Bridging, r.Mix.Linking}, TopThemes: r.TopThemes,
		OpenSignals: r.OpenSignals, MedianResponseHours: r.MedianResponseHours, FundingGrantedCents: r.FundingCents,
		Suppressed: []string{}}
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
// The period is widened to whole months (the response says which).
func (h *Handler) APIOverview(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	sc, err := h.scope(ctx, httpx.ViewerFrom(ctx))
	if err != nil {
		return err
	}
	code := strings.ToUpper(chi.URLParam(r, "gm_code"))
	if !gmPattern.MatchString(code) {
		return apiError(w, http.StatusNotFound, msgAPINotFound)
	}
	q := r.URL.Query()
	period := LastMonths(h.now(), 12)
	from, to := q.Get("from"), q.Get("to")
	if from != "" || to != "" {
		f, err1 := time.Parse(time.DateOnly, from)
		t, err2 := time.Parse(time.DateOnly, to)
		if err1 != nil || err2 != nil || t.Before(f) {
			return apiError(w, http.StatusUnprocessableEntity, msgAPIBadDates)
		}
		var msg string
		if period, msg = CustomPeriod(h.now(), from, to); msg != "" {
			return apiError(w, http.StatusUnprocessableEntity, msg)
		}
	}
	m, err := h.Store.MunicipalityByCode(ctx, sc, code)
	switch {
	case errors.Is(err, ErrNotFound):
		return apiError(w, http.StatusNotFound, msgAPINotFound)
	case errors.Is(err, ErrForbidden):
		return apiError(w, http.StatusForbidden, msgAPIForbidden)
	case err != nil:
		return err
	}
	t, err := h.table(ctx, sc, TableFilter{MunicipalityID: m.ID, Period: period})
	if err != nil {
		return err
	}
	var out APIOverview
	out.Municipality.Code, out.Municipality.Name = m.Code, m.Name
	out.From, out.To = period.From.Format(time.DateOnly), period.LastDay().Format(time.DateOnly)
	out.Note = apiNote
	out.Neighbourhoods, out.Districts = []APIRow{}, []APIRow{}
	sortRows(t.Rows, "", "")
	for _, row := range t.Rows {
		out.Neighbourhoods = append(out.Neighbourhoods, apiRow(row))
	}
	for _, row := range t.Districts {
		out.Districts = append(out.Districts, apiRow(row))
	}
	out.Total = apiRow(t.Total)
	return httpx.JSON(w, http.StatusOK, out)
}
