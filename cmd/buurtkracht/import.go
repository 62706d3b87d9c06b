package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/buurtkracht/buurtkracht/internal/neighbourhood"
	"github.com/buurtkracht/buurtkracht/internal/postgres"
)

func init() {
	commands["import"] = command{
		summary: "CBS-gemeenten, -wijken, -buurten, -buurtgrenzen en -kerncijfers importeren",
		usage: `import cbs --buurten BESTAND.csv [--geojson BESTAND.geojson] [--gemeenten BESTAND.csv] [--wijken BESTAND.csv] [--kerncijfers BESTAND.csv]
       import cbs --kerncijfers BESTAND.csv
       import cbs --embedded

  --buurten FILE    buurten (CSV, verplicht): gm_code, wk_code, wk_name, bu_code, bu_name
                    en optioneel gm_name, population, centroid_lat, centroid_lon, area_km2_generalised
  --geojson FILE    buurtgrenzen (GeoJSON FeatureCollection in WGS84, properties.bu_code)
  --gemeenten FILE  gemeenten (CSV): gm_code, gm_name
  --wijken FILE     wijken (CSV): gm_code, wk_code, wk_name
  --kerncijfers FILE
                    CBS-kerncijfers per buurt (CSV met ;): buurtcode, jaar, inwoners, huishoudens,
                    leeftijd_0_15, leeftijd_15_25, leeftijd_25_45, leeftijd_45_65, leeftijd_65_plus.
                    Elke buurt moet al bestaan (of in --buurten staan); een onbekende buurt
                    weigert de import. Buurten die niet in het bestand staan, houden hun cijfers
                    (of blijven onbekend).
  --embedded        de CBS-bestanden importeren die in het programma zijn meegeleverd

De import is één transactie: bij één foute regel wordt niets opgeslagen en
noemt de melding het bestand, de regel (of de feature) en de reden. Opnieuw
importeren werkt bestaande rijen bij op CBS-code en voegt niets dubbel toe.
Bron: CBS, Kadaster (PDOK), CC BY 4.0; kerncijfers: CBS, Kerncijfers wijken en
buurten 2024 (StatLine 85984NED), CC BY 4.0.`,
		run: importCmd,
	}
}

func importCmd(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "cbs" {
		return errUsage
	}
	fs := newFlagSet("import cbs", e.stderr)
	buurten := fs.String("buurten", "", "")
	geojson := fs.String("geojson", "", "")
	gemeenten := fs.String("gemeenten", "", "")
	wijken := fs.String("wijken", "", "")
	kerncijfers := fs.String("kerncijfers", "", "")
	embedded := fs.Bool("embedded", false, "")
	fs.Usage = func() {}
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() != 0 {
		return errUsage
	}
	var files neighbourhood.Files
	if *embedded {
		if *buurten != "" || *geojson != "" || *gemeenten != "" || *wijken != "" || *kerncijfers != "" {
			return errors.New("--embedded gaat niet samen met bestanden")
		}
		files = neighbourhood.EmbeddedFiles()
	} else {
		if *buurten == "" && *kerncijfers == "" {
			fmt.Fprintln(e.stderr, "--buurten of --kerncijfers is verplicht (of gebruik --embedded)")
			return errUsage
		}
		var closers []io.Closer
		defer func() {
			for _, c := range closers {
				c.Close()
			}
		}()
		open := func(path string) (neighbourhood.Source, error) {
			if path == "" {
				return neighbourhood.Source{}, nil
			}
			f, err := os.Open(path)
			if err != nil {
				return neighbourhood.Source{}, fmt.Errorf("kan %s niet openen: %w", path, err)
			}
			closers = append(closers, f)
			return neighbourhood.Source{Name: path, Reader: f}, nil
		}
		var err error
		if files.Neighbourhoods, err = open(*buurten); err != nil {
			return err
		}
		if files.Boundaries, err = open(*geojson); err != nil {
			return err
		}
		if files.Municipalities, err = open(*gemeenten); err != nil {
			return err
		}
		if files.Districts, err = open(*wijken); err != nil {
			return err
		}
		if files.Kerncijfers, err = open(*kerncijfers); err != nil {
			return err
		}
	}

	url := e.directURL()
	pool, err := postgres.Open(ctx, url)
	if err != nil {
		return fmt.Errorf("database %s: %w", redactURL(url), err)
	}
	defer pool.Close()
	start := time.Now()
	sum, err := neighbourhood.Import(ctx, pool, files)
	if err != nil {
		var ie *neighbourhood.ImportError
		if errors.As(err, &ie) {
			return fmt.Errorf("geweigerd, er is niets opgeslagen.\n%w", err)
		}
		return err
	}
	printImportSummary(e.stdout, sum)
	fmt.Fprintf(e.stdout, "Klaar in %s.\n", time.Since(start).Round(time.Millisecond))
	return nil
}

func printImportSummary(w io.Writer, s neighbourhood.Summary) {
	row := func(label string, c neighbourhood.Counts) {
		fmt.Fprintf(w, "  %-14s %5d nieuw, %5d bijgewerkt, %5d ongewijzigd\n", label, c.Inserted, c.Updated, c.Unchanged)
	}
	fmt.Fprintln(w, "CBS-import:")
	row("gemeenten", s.Municipalities)
	row("wijken", s.Districts)
	row("buurten", s.Neighbourhoods)
	row("buurtgrenzen", s.Boundaries)
	row("kerncijfers", s.Figures)
}
