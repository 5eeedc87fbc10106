package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/realsynth/realsynth/pipeline"
	"github.com/realsynth/realsynth/stages/report"
)

func newReportCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "report OUTDIR",
		Short: "Redraw report.html from a committed output folder, without re-running",
		Long: `report reads the Parquet tables and manifest.json of an output folder that
realsynth wrote and draws report.html into it again: the same page the run
wrote, or the page a newer realsynth draws from the same tables.`,
		Args: exactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := filepath.Clean(args[0])
			if _, err := os.Stat(filepath.Join(dir, "manifest.json")); err != nil {
				return usageError{fmt.Errorf("%s has no manifest.json: it is not an output folder realsynth wrote", dir)}
			}
			// A run committing to the same folder at this moment would swap it away.
			unlock, err := pipeline.LockOutput(dir)
			if err != nil {
				return err
			}
			defer unlock()
			in, err := report.FromDir(dir)
			if err != nil {
				return usageError{err}
			}
			page, err := report.Render(in)
			if err != nil {
				return err
			}
			path := filepath.Join(dir, report.File)
			tmp := path + ".tmp"
			if err := os.WriteFile(tmp, page, 0o644); err != nil {
				return err
			}
			if err := os.Rename(tmp, path); err != nil {
				os.Remove(tmp)
				return err
			}
			sum := sha256.Sum256(page)
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %s (%d bytes); %s\n", path, len(page), sameAsRun(dir, hex.EncodeToString(sum[:])))
			return nil
		},
	}
}

// sameAsRun says whether the page is the one the run recorded in its manifest.
func sameAsRun(dir, sum string) string {
	data, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return "no manifest to compare with"
	}
	var m pipeline.Manifest
	if json.Unmarshal(data, &m) != nil {
		return "no manifest to compare with"
	}
	for _, f := range m.Files {
		if f.File == report.File {
			if f.SHA256 == sum {
				return "identical to the page the run wrote"
			}
			return "it differs from the page the run wrote (manifest.json keeps that one's SHA-256)"
		}
	}
	return "the run wrote no report.html"
}
