package main

import (
	"bytes"
	"os/exec"
	"strings"
	"testing"
)

func TestComplete(t *testing.T) {
	tests := []struct {
		words []string
		want  string
	}{
		{[]string{"fo"}, "forecast\n"},
		{[]string{"--v"}, "--version\n"},
		{[]string{"forecast", "--hor"}, "--horizon\n"},
		{[]string{"forecast", "sales.csv", "--hor"}, "--horizon\n"},
		{[]string{"forecast", "--horizon", "3", "--ho"}, ""}, // given once already
		{[]string{"forecast", ""}, ""},                       // a file: the shell completes it
		{[]string{"forecast", "-m", "g"}, "gru\n"},
		{[]string{"backtest", "--models", "sn"}, "snaive\n"},
		{[]string{"completion", ""}, "bash\nzsh\nfish\n"},
		{[]string{"generate", "--see"}, "--seed\n"},
	}
	var all strings.Builder // every visible command, in the help's order
	for _, c := range newApp(&env{}).VisibleCommands() {
		all.WriteString(c.Name + "\n")
	}
	if !strings.HasPrefix(all.String(), "forecast\n") || !strings.Contains(all.String(), "\ncompletion\n") {
		t.Fatalf("visible commands %q; want forecast first and completion among them", all.String())
	}
	tests = append(tests, struct {
		words []string
		want  string
	}{[]string{""}, all.String()})
	for _, tc := range tests {
		var out bytes.Buffer
		complete(newApp(&env{stdout: &out}), tc.words, &out)
		if out.String() != tc.want {
			t.Errorf("complete(%q) = %q; want %q", tc.words, out.String(), tc.want)
		}
	}
}

// testCompletion loads `tsf completion bash` into bash and completes with
// it, as the shell does on Tab; the zsh and fish scripts are parsed by their
// shells where those are installed.
func testCompletion(t *testing.T, bin string) {
	script, err := exec.Command(bin, "completion", "bash").Output()
	if err != nil {
		t.Fatalf("tsf completion bash: %v", err)
	}
	for _, tc := range []struct{ words, want string }{
		{"fo", "forecast"},
		{"forecast --hor", "--horizon"},
		{"forecast -m g", "gru"},
	} {
		words := append([]string{bin}, strings.Fields(tc.words)...)
		sh := string(script) + `
COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _tsf_complete; echo "${COMPREPLY[*]}"`
		out, err := exec.Command("bash", append([]string{"-c", sh, "bash"}, words...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("bash: %v\n%s", err, out)
		}
		if got := strings.TrimSpace(string(out)); got != tc.want {
			t.Errorf("bash completion of %q = %q; want %q", tc.words, got, tc.want)
		}
	}
	for _, sh := range []struct{ shell, check string }{{"zsh", "-n"}, {"fish", "--no-execute"}} {
		script, err := exec.Command(bin, "completion", sh.shell).Output()
		if err != nil {
			t.Fatalf("tsf completion %s: %v", sh.shell, err)
		}
		if !bytes.Contains(script, []byte("tsf")) || !bytes.Contains(script, []byte("forecast")) && sh.shell == "fish" {
			t.Errorf("tsf completion %s:\n%s", sh.shell, script)
		}
		path, err := exec.LookPath(sh.shell)
		if err != nil {
			continue // not installed: nothing to parse it with
		}
		cmd := exec.Command(path, sh.check)
		cmd.Stdin = bytes.NewReader(script)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("%s %s rejects the script: %v\n%s", sh.shell, sh.check, err, out)
		}
	}
	if out, err := exec.Command(bin, "completion", "sh").CombinedOutput(); err == nil || !strings.Contains(string(out), `unknown shell "sh"`) {
		t.Errorf("tsf completion sh: %v, %q; want a usage error naming the shell", err, out)
	}
}
