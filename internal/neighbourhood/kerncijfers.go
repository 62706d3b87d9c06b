package neighbourhood

import (
	"context"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/buurtkracht/buurtkracht/internal/cbs"
)

// FiguresSource is the attribution shown with the kerncijfers (CC BY 4.0).
const FiguresSource = "Bron: CBS, Kerncijfers wijken en buurten 2024 (StatLine 85984NED), CC BY 4.0."

// ageTolerance is how far the age groups may add up from the number of
// inhabitants: CBS rounds each of the six counts to a multiple of 5, so
// five groups and the total differ by at most 6 × 2.5.
const ageTolerance = 15

// Figures are a neighbourhood's CBS key figures on 1 January of Year. A nil
// count is unknown.
type Figures struct {
	Year        int
	Inhabitants int
	Households  *int
	// Ages are the inhabitants aged 0–15, 15–25, 25–45, 45–65 and 65 or older.
	Ages [5]*int
}

// AgeLabels name the age groups of Figures.Ages, in order.
var AgeLabels = [5]string{"0 tot 15 jaar", "15 tot 25 jaar", "25 tot 45 jaar", "45 tot 65 jaar", "65 jaar of ouder"}

// figuresRow is one checked line of a kerncijfers file.
type figuresRow struct {
	code        string
	year        int16
	inhabitants int32
	households  *int32
	ages        [5]*int32
	line        int
}

var kerncijfersColumns = []string{"buurtcode", "jaar", "inwoners", "huishoudens",
	"leeftijd_0_15", "leeftijd_15_25", "leeftijd_25_45", "leeftijd_45_65", "leeftijd_65_plus"}

// parseKerncijfers reads a CBS key figures file: ';'-separated as CBS
// publishes it, one neighbourhood a line. inwoners is required; the
// households and age groups may be empty (unknown), never negative; the age
// groups, when all given, add up to inwoners within ageTolerance.
func (p *parsed) parseKerncijfers(src Source) error {
	t, err := readTableSep(src, ';', kerncijfersColumns)
	if err != nil {
		return err
	}
	p.figuresFile = t.file
	seen := map[string]int{}
	for i := range t.rows {
		line := t.lines[i]
		bad := func(format string, a ...any) error {
			return &ImportError{File: t.file, Line: line, Reason: fmt.Sprintf(format, a...)}
		}
		code, err := checkCode(t, i, "buurtcode", cbs.IsNeighbourhood, wantBU)
		if err != nil {
			return err
		}
		if prev, dup := seen[code]; dup {
			return bad("buurtcode %s komt dubbel voor (ook op regel %d)", code, prev)
		}
		seen[code] = line
		row := figuresRow{code: code, line: line}
		y, err := strconv.Atoi(t.get(i, "jaar"))
		if err != nil || y < 1900 || y > 2200 {
			return bad("ongeldig jaar %q (verwacht een jaartal, bijvoorbeeld 2024)", t.get(i, "jaar"))
		}
		row.year = int16(y)
		count := func(col string, required bool) (*int32, error) {
			v := t.get(i, col)
			if v == "" {
				if required {
					return nil, bad("%s ontbreekt (verwacht een geheel getal van 0 of meer)", col)
				}
				return nil, nil
			}
			n, err := strconv.ParseInt(v, 10, 32)
			if err != nil || n < 0 {
				return nil, bad("ongeldig aantal %q in kolom %s (verwacht een geheel getal van 0 of meer, of leeg)", v, col)
			}
			n32 := int32(n)
			return &n32, nil
		}
		inh, err := count("inwoners", true)
		if err != nil {
			return err
		}
		row.inhabitants = *inh
		if row.households, err = count("huishoudens", false); err != nil {
			return err
		}
		sum, all := int64(0), true
		for g, col := range kerncijfersColumns[4:] {
			if row.ages[g], err = count(col, false); err != nil {
				return err
			}
			if row.ages[g] == nil {
				all = false
			} else {
				sum += int64(*row.ages[g])
			}
		}
		if all && (sum-int64(row.inhabitants) > ageTolerance || int64(row.inhabitants)-sum > ageTolerance) {
			return bad("de leeftijdsgroepen tellen op tot %d, meer dan %d af van %d inwoners (staan de kolommen in de goede volgorde?)",
				sum, ageTolerance, row.inhabitants)
		}
		p.figures = append(p.figures, row)
	}
	return nil
}

// checkFigureReferences refuses figures of a neighbourhood that is neither
// in the buurten file nor in the database. Strict, like the boundaries: an
// unknown code means the geography of that year was not imported (or the
// file is not what it seems), and skipping it would hide that.
func (p *parsed) checkFigureReferences(ctx context.Context, tx pgx.Tx) error {
	var missing []string
	for _, f := range p.figures {
		if !p.buByCode[f.code] {
			missing = append(missing, f.code)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	known, err := existingCodes(ctx, tx, `SELECT code FROM neighbourhoods WHERE code = ANY($1)`, missing)
	if err != nil {
		return err
	}
	for _, f := range p.figures {
		if !p.buByCode[f.code] && !known[f.code] {
			return &ImportError{File: p.figuresFile, Line: f.line, Reason: fmt.Sprintf("buurt %s is onbekend: die staat niet in het buurtenbestand en niet in de database; importeer eerst de buurten", f.code)}
		}
	}
	return nil
}

// writeFigures sets the figures, and population to the inhabitants, of
// every neighbourhood in the file. Inserted counts neighbourhoods that had
// no figures before, Updated those whose figures changed. Neighbourhoods
// not in the file keep what they have (unknown stays NULL).
func (p *parsed) writeFigures(ctx context.Context, tx pgx.Tx) (Counts, error) {
	n := len(p.figures)
	codes := make([]string, n)
	years := make([]int16, n)
	inh := make([]int32, n)
	hh := make([]*int32, n)
	var ages [5][]*int32
	for g := range ages {
		ages[g] = make([]*int32, n)
	}
	for i, f := range p.figures {
		codes[i], years[i], inh[i], hh[i] = f.code, f.year, f.inhabitants, f.households
		for g := range ages {
			ages[g][i] = f.ages[g]
		}
	}
	return upsertCount(ctx, tx, `
		WITH i AS (
			SELECT * FROM unnest($1::text[], $2::int2[], $3::int4[], $4::int4[], $5::int4[], $6::int4[], $7::int4[], $8::int4[], $9::int4[])
				AS t(code, year, inhabitants, households, a0, a15, a25, a45, a65)),
		changed AS (
			SELECT n.id, n.figures_year IS NULL AS was_missing, i.*
			FROM neighbourhoods n JOIN i ON i.code = n.code
			WHERE (n.figures_year, n.population, n.households, n.age_0_15, n.age_15_25, n.age_25_45, n.age_45_65, n.age_65_plus)
				IS DISTINCT FROM (i.year, i.inhabitants, i.households, i.a0, i.a15, i.a25, i.a45, i.a65)),
		up AS (
			UPDATE neighbourhoods n SET figures_year = c.year, population = c.inhabitants, households = c.households,
				age_0_15 = c.a0, age_15_25 = c.a15, age_25_45 = c.a25, age_45_65 = c.a45, age_65_plus = c.a65,
				updated_at = now()
			FROM changed c WHERE n.id = c.id
			RETURNING c.was_missing)
		SELECT count(*) FILTER (WHERE was_missing), count(*) FILTER (WHERE NOT was_missing) FROM up`,
		n, codes, years, inh, hh, ages[0], ages[1], ages[2], ages[3], ages[4])
}
