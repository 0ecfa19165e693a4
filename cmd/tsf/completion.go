package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"
)

func newCompletionCommand(e *env) *cli.Command {
	return &cli.Command{
		Name:      "completion",
		Usage:     "print the shell completion script for bash, zsh or fish",
		ArgsUsage: "bash|zsh|fish",
		Description: `Prints a script that completes tsf's commands and flags in the shell named.
The bash and zsh scripts ask tsf itself what fits where the cursor is (the
commands, a command's flags, the model names after --model), so they follow
the installed version; the fish script lists the commands and flags of this
version. Where nothing fits (a file argument, a flag's value) the shell
completes file names.

Examples:
   source <(tsf completion bash)                       # bash: add to ~/.bashrc
   tsf completion bash > /etc/bash_completion.d/tsf     # bash: for every user
   tsf completion zsh > "${fpath[1]}/_tsf"              # zsh: then restart it
   tsf completion fish > ~/.config/fish/completions/tsf.fish`,
		Action: func(c *cli.Context) error { return runCompletion(c, e) },
	}
}

func runCompletion(c *cli.Context, e *env) error {
	const hint = "name the shell: tsf completion bash, tsf completion zsh or tsf completion fish"
	if c.NArg() != 1 {
		return usagef(hint, "tsf completion takes one argument, the shell; got %d", c.NArg())
	}
	var script string
	switch shell := c.Args().First(); shell {
	case "bash":
		script = bashCompletion
	case "zsh":
		script = zshCompletion
	case "fish":
		s, err := c.App.ToFishCompletion()
		if err != nil {
			return fmt.Errorf("fish completion: %w", err)
		}
		script = s
	default:
		return usagef(hint, "unknown shell %q", shell)
	}
	_, err := io.WriteString(e.stdout, script)
	return err
}

// completeFlag, as the last argument, asks tsf for the words that fit where
// the shell's cursor is (the protocol of urfave/cli, which the scripts below
// follow). tsf answers it itself: urfave/cli v2.27.7 panics on a partial flag
// name (tsf forecast --ho) and offers the help command where a file belongs.
const completeFlag = "--generate-bash-completion"

// complete writes, one a line, the words that may stand where the shell's
// cursor is. words is the command line without the program name, and its
// last word is the one being completed (empty after a space). Nothing means
// "complete a file name".
func complete(app *cli.App, words []string, w io.Writer) {
	if len(words) == 0 {
		words = []string{""}
	}
	cur, before := words[len(words)-1], words[:len(words)-1]
	var cmd *cli.Command
	for _, a := range before {
		if !strings.HasPrefix(a, "-") {
			cmd = app.Command(a)
			break
		}
	}
	var prev string
	if len(before) > 0 {
		prev = before[len(before)-1]
	}
	flags := slices.Concat(app.Flags, []cli.Flag{cli.HelpFlag, cli.VersionFlag})
	if cmd != nil {
		flags = slices.Concat(cmd.Flags, []cli.Flag{cli.HelpFlag})
	}
	var out []string
	switch {
	case strings.HasPrefix(cur, "-"):
		used := map[string]bool{}
		for _, a := range before {
			used[strings.TrimLeft(a, "-")] = true
		}
		for _, f := range flags {
			if v, ok := f.(cli.VisibleFlag); ok && !v.IsVisible() {
				continue
			}
			if slices.ContainsFunc(f.Names(), func(n string) bool { return used[n] }) {
				continue
			}
			for _, n := range f.Names() {
				if len(n) == 1 {
					out = append(out, "-"+n)
				} else {
					out = append(out, "--"+n)
				}
			}
		}
	case cmd == nil:
		for _, c := range app.VisibleCommands() {
			out = append(out, c.Name)
		}
	case cmd.Name == "completion" && prev == "completion":
		out = []string{"bash", "zsh", "fish"}
	case prev == "--model" || prev == "-m" || prev == "--models":
		out = strings.Split(modelNames, "|")
	}
	for _, word := range out {
		if strings.HasPrefix(word, cur) {
			fmt.Fprintln(w, word)
		}
	}
}

// The bash and zsh scripts ask the program for the words that fit: the words
// before the cursor, the word being completed (possibly empty), then
// completeFlag; complete answers. They follow urfave/cli's autocomplete
// scripts, without bash-completion's helpers.
const (
	bashCompletion = `# bash completion for tsf. Load it with: source <(tsf completion bash)
_tsf_complete() {
	local cur="${COMP_WORDS[COMP_CWORD]}"
	local -a words=("${COMP_WORDS[@]:0:COMP_CWORD}")
	local opts
	opts=$("${words[@]}" "$cur" --generate-bash-completion 2>/dev/null)
	COMPREPLY=($(compgen -W "$opts" -- "$cur"))
	return 0
}
complete -o bashdefault -o default -F _tsf_complete tsf
`
	zshCompletion = `#compdef tsf
# zsh completion for tsf. Put it in a directory of $fpath as _tsf, or load it
# with: source <(tsf completion zsh) (after compinit).
compdef _tsf tsf

_tsf() {
	local -a opts
	opts=("${(@f)$(${words[@]:0:#words[@]-1} "${words[-1]}" --generate-bash-completion 2>/dev/null)}")
	if [[ "${opts[1]}" != "" ]]; then
		_describe 'values' opts
	else
		_files
	fi
}

# Run the function only when zsh autoloads this file for completion, not
# when it is sourced.
if [[ "$funcstack[1]" = "_tsf" ]]; then
	_tsf "$@"
fi
`
)
