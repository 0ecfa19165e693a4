package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/tsf-go/tsf/internal/flagspec"
	"github.com/urfave/cli/v2"
)

// Exit codes: 0 success, 1 runtime or data error, 2 usage error, 130
// interrupted (exitInterrupted, signal.go).
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// usageError is a mistake in the command line: a bad flag value, a missing
// argument. It exits with status 2.
type usageError struct {
	err  error
	hint string
}

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

// usagef returns a usage error with a hint.
func usagef(hint, format string, args ...any) error {
	return &usageError{err: fmt.Errorf(format, args...), hint: hint}
}

// usage turns the command-line vocabulary's errors (a bad value, a
// flagspec.Mistake) into usage errors with their hints; others are
// returned as they are.
func usage(err error) error {
	var se *flagspec.SettingError
	var m *flagspec.Mistake
	switch {
	case errors.As(err, &se):
		return &usageError{err: err, hint: se.Hint}
	case errors.As(err, &m):
		return &usageError{err: err, hint: m.Hint}
	}
	return err
}

// hintError is a runtime error with a hint for the user.
type hintError struct {
	err  error
	hint string
}

func (e *hintError) Error() string { return e.err.Error() }
func (e *hintError) Unwrap() error { return e.err }

// withHint attaches a hint to err (nil stays nil).
func withHint(err error, hint string) error {
	if err == nil {
		return nil
	}
	return &hintError{err: err, hint: hint}
}

// env is what the commands need from the outside world; tests pass their own.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// stderrTTY says whether stderr is a terminal (progress bars only then).
	stderrTTY bool
}

// run is the whole program: it parses args, runs the command and returns the
// exit code. Nothing below it exits the process. A run that a signal
// interrupted (ctx cancelled by withInterrupt) says "tsf: interrupted" and
// returns 130, whatever the command returned.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, stderrTTY: isTerminal(stderr)}
	app := newApp(e)
	if len(args) > 1 && args[len(args)-1] == completeFlag {
		complete(app, args[1:len(args)-1], stdout)
		return exitOK
	}
	err := app.RunContext(ctx, interspersed(app, args))
	if interrupted(ctx) {
		fmt.Fprintln(stderr, "tsf: interrupted")
		return exitInterrupted
	}
	if err == nil {
		return exitOK
	}
	return report(stderr, err)
}

// report prints err as one `tsf: error:` line and an optional `tsf: hint:`
// line, and returns the exit code for it.
func report(w io.Writer, err error) int {
	fmt.Fprintf(w, "tsf: error: %s\n", oneLine(err))
	code := exitError
	var ue *usageError
	var he *hintError
	switch {
	case errors.As(err, &ue):
		code = exitUsage
		if ue.hint != "" {
			fmt.Fprintf(w, "tsf: hint: %s\n", ue.hint)
		}
	case errors.As(err, &he):
		if he.hint != "" {
			fmt.Fprintf(w, "tsf: hint: %s\n", he.hint)
		}
	}
	return code
}

func newApp(e *env) *cli.App {
	app := &cli.App{
		Name:  "tsf",
		Usage: "time-series forecasting with LSTM, GRU and RNN, honest baselines and plots",
		Description: `tsf reads a time series from CSV, trains recurrent networks (LSTM, GRU, a vanilla
RNN) or classical baselines, and writes forecasts with prediction intervals,
backtest metrics and plots.

Examples:
   tsf demo --out demo                       # the tour, on built-in synthetic data
   tsf generate --kind echo --lag 48 > echo.csv
   tsf forecast echo.csv --horizon 24 --plot forecast.png
   tsf backtest sales.csv --target sales --models lstm,snaive,ets --horizon 12 --folds 3
   tsf compare echo.csv --models rnn,lstm --plot compare.png`,
		Version:                version(),
		Reader:                 e.stdin,
		Writer:                 e.stdout,
		ErrWriter:              e.stderr,
		HideHelpCommand:        true,
		UseShortOptionHandling: true,
		Suggest:                true,
		Commands:               commands(e),
		// Errors are reported by run, never by the library's os.Exit.
		ExitErrHandler: func(*cli.Context, error) {},
		OnUsageError:   onUsageError,
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return usagef("run 'tsf --help' for the list of commands", "unknown command %q", c.Args().First())
			}
			return cli.ShowAppHelp(c)
		},
	}
	app.CustomAppHelpTemplate = appHelp
	for _, c := range app.Commands {
		c.OnUsageError = onUsageError
		c.CustomHelpTemplate = commandHelp
		c.Action = removeOutputsOnInterrupt(c.Action)
	}
	return app
}

// The help templates put the description, which ends with examples, last.
const (
	appHelp = `NAME:
   {{template "helpNameTemplate" .}}

USAGE:
   {{.HelpName}} command [flags] [FILE.csv|-]{{if .VisibleCommands}}

COMMANDS:{{template "visibleCommandCategoryTemplate" .}}{{end}}{{if .VisibleFlags}}

GLOBAL OPTIONS:{{template "visibleFlagTemplate" .}}{{end}}{{if .Description}}

DESCRIPTION:
   {{template "descriptionTemplate" .}}{{end}}
`
	commandHelp = `NAME:
   {{template "helpNameTemplate" .}}

USAGE:
   {{template "usageTemplate" .}}{{if .VisibleFlags}}

OPTIONS:{{template "visibleFlagTemplate" .}}{{end}}{{if .Description}}

DESCRIPTION:
   {{template "descriptionTemplate" .}}{{end}}
`
)

func onUsageError(c *cli.Context, err error, isSubcommand bool) error {
	name := "tsf"
	if isSubcommand && c.Command != nil && c.Command.Name != "" {
		name = "tsf " + c.Command.Name
	}
	return usagef(fmt.Sprintf("run '%s --help' for the flags and examples", name), "%v", err)
}

// interspersed moves a subcommand's positional arguments after its flags,
// so that `tsf forecast FILE.csv --horizon 12` works like
// `tsf forecast --horizon 12 FILE.csv` (the flag package stops at the first
// argument). Everything after "--" stays in place.
func interspersed(app *cli.App, args []string) []string {
	if len(args) < 2 {
		return args
	}
	cmd := app.Command(args[1])
	if cmd == nil {
		return args
	}
	boolean := map[string]bool{"help": true, "h": true}
	valued := map[string]bool{}
	for _, f := range cmd.Flags {
		_, isBool := f.(*cli.BoolFlag)
		for _, n := range f.Names() {
			if isBool {
				boolean[n] = true
			} else {
				valued[n] = true
			}
		}
	}
	out := append([]string{}, args[:2]...)
	var pos []string
	rest := args[2:]
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		switch {
		case a == "--":
			return append(append(append(out, "--"), pos...), rest[i+1:]...)
		case a == "-" || !strings.HasPrefix(a, "-"):
			pos = append(pos, a)
		default:
			out = append(out, a)
			name := strings.TrimLeft(a, "-")
			if strings.Contains(name, "=") {
				continue
			}
			if valued[name] && i+1 < len(rest) {
				i++
				out = append(out, rest[i])
			}
		}
	}
	return append(out, pos...)
}

// The flag help omits "(default: 0)" and "(default: false)": a zero means
// "the library's default", which the usage text states.
//
// --version has no short form: -v is --verbose in the commands.
func init() {
	cli.VersionFlag = &cli.BoolFlag{Name: "version", Usage: "print the version and the commit tsf was built from", DisableDefaultText: true}
	stringer := cli.FlagStringer
	cli.FlagStringer = func(f cli.Flag) string {
		s := stringer(f)
		for _, z := range []string{" (default: 0)", " (default: false)"} {
			s = strings.TrimSuffix(s, z)
		}
		return s
	}
}
