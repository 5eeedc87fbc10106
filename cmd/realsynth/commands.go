package main

import "github.com/spf13/cobra"

// extraCommands are the tools beside `run`: each lives in its own file.
func extraCommands() []*cobra.Command {
	return []*cobra.Command{newAgreeCmd(), newExportCmd(), newEvalDedupCmd(), newReportCmd()}
}
