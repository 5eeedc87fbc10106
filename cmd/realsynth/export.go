package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/realsynth/realsynth/internal/tables"
	"github.com/realsynth/realsynth/pipeline/table"
	"github.com/realsynth/realsynth/stages/export"
)

// newExportCmd returns `realsynth export`, which writes a committed works or
// records table as RIS or CSV for EndNote, Zotero, Rayyan or Covidence.
func newExportCmd() *cobra.Command {
	var format, in, out, kind, recordsPath string
	cmd := &cobra.Command{
		Use:   "export --format ris|csv --in TABLE.parquet --out FILE",
		Short: "Write a works or records table as RIS or CSV for EndNote, Zotero, Rayyan, Covidence",
		Long: `Reads a Parquet table a run committed and writes it as RIS or CSV.

--in works.parquet exports one reference per de-duplicated work, with the
work id as its ID; the records.parquet beside it (or --records) supplies the
fields works do not carry (keywords, ISSN, URLs, notes). --in records.parquet
exports every record. Which table a file holds is taken from its name
(works*, records*) unless --table says.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "ris" && format != "csv" {
				return usageError{fmt.Errorf("--format must be ris or csv, not %q", format)}
			}
			if in == "" || out == "" {
				return usageError{fmt.Errorf("--in and --out are required")}
			}
			if kind == "" {
				base := strings.ToLower(filepath.Base(in))
				switch {
				case strings.HasPrefix(base, "works"):
					kind = "works"
				case strings.HasPrefix(base, "records"):
					kind = "records"
				default:
					return usageError{fmt.Errorf("cannot tell from its name whether %s holds works or records: add --table works or --table records", in)}
				}
			}
			cmd.SilenceUsage = true
			rows, err := exportRows(kind, in, recordsPath)
			if err != nil {
				return err
			}
			data, err := export.Encode(format, rows)
			if err != nil {
				return err
			}
			if err := os.WriteFile(out, data, 0o644); err != nil {
				return err
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "wrote %d %s to %s\n", len(rows), kind, out)
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "ris", "ris or csv")
	cmd.Flags().StringVar(&in, "in", "", "the Parquet table to export (works.parquet or records.parquet)")
	cmd.Flags().StringVar(&out, "out", "", "the file to write")
	cmd.Flags().StringVar(&kind, "table", "", "works or records (default: from the --in file name)")
	cmd.Flags().StringVar(&recordsPath, "records", "", "records.parquet to fill in work fields (default: beside --in)")
	return cmd
}

func exportRows(kind, in, recordsPath string) ([]tables.Record, error) {
	switch kind {
	case "records":
		rows, err := table.ReadFile[tables.Record](in)
		if err != nil {
			return nil, err
		}
		sort.SliceStable(rows, func(i, j int) bool { return rows[i].RecordID < rows[j].RecordID })
		return rows, nil
	case "works":
		works, err := table.ReadFile[tables.Work](in)
		if err != nil {
			return nil, err
		}
		if recordsPath == "" {
			recordsPath = filepath.Join(filepath.Dir(in), "records.parquet")
			if _, err := os.Stat(recordsPath); err != nil {
				recordsPath = "" // works alone: the canonical fields only
			}
		}
		var records []tables.Record
		if recordsPath != "" {
			if records, err = table.ReadFile[tables.Record](recordsPath); err != nil {
				return nil, err
			}
		}
		return export.WorkRecords(works, records), nil
	}
	return nil, usageError{fmt.Errorf("--table must be works or records, not %q", kind)}
}
