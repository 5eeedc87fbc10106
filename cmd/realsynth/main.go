// Command realsynth runs a review's pipeline: search exports in, Parquet
// tables out. See README.md for the config and the tables.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/realsynth/realsynth/pipeline"
)

// Exit codes, as documented in the README.
const (
	exitOK        = 0
	exitRunFailed = 1
	exitUsage     = 2
)

// usageError marks errors in how the command was called (exit 2).
type usageError struct{ error }

func main() {
	pipeline.ApplyMemoryDefaults()
	os.Exit(execute(os.Args[1:]))
}

func execute(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := newRootCmd()
	root.SetArgs(args)
	// Cobra checks flags, arguments and the command name before it calls
	// PersistentPreRun; an error before that point is a usage error.
	started := false
	root.PersistentPreRun = func(*cobra.Command, []string) { started = true }
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	if ctx.Err() != nil && errors.Is(err, context.Canceled) {
		// SIGINT or SIGTERM: say so, not just "context canceled". A run
		// commits its output folder only when every table is written.
		msg := fmt.Sprintf("realsynth: stopped by a signal before finishing (%v)", err)
		if len(args) > 0 && args[0] == "run" {
			msg += "; the output folder was not changed"
		}
		fmt.Fprintln(os.Stderr, msg)
		return exitRunFailed
	}
	fmt.Fprintln(os.Stderr, "realsynth:", err)
	var ce *pipeline.ConfigError
	var ue usageError
	if !started || errors.As(err, &ce) || errors.As(err, &ue) {
		return exitUsage
	}
	return exitRunFailed
}

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "realsynth",
		Short: "De-duplicate, screen and synthesise the search results of a realist or systematic review",
		Long: `realsynth runs a review's pipeline after each search round: it reads the
database exports, de-duplicates them into works across databases and rounds,
joins the screening votes, measures agreement, counts the PRISMA 2020 flow,
and tallies CMO coding into demi-regularity candidates, writing Parquet tables.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(newRunCmd(), newValidateCmd(), newStagesCmd(), newVersionCmd())
	root.AddCommand(extraCommands()...)
	return root
}

func newLogger(quiet bool) *slog.Logger {
	level := slog.LevelInfo
	if quiet {
		level = slog.LevelWarn
	}
	// On a terminal the log shares stderr with the progress bar; LogWriter
	// keeps a log line off the bar's line.
	return slog.New(slog.NewTextHandler(pipeline.LogWriter(), &slog.HandlerOptions{Level: level}))
}

func exactArgs(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := cobra.ExactArgs(n)(cmd, args); err != nil {
			return usageError{err}
		}
		return nil
	}
}
