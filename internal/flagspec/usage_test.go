package flagspec

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/tsf-go/tsf/forecast/neural"
)

// TestMessage: the library's diverged error names its fields; the command
// line's message names the flags, as tsf always printed it.
func TestMessage(t *testing.T) {
	for _, tc := range []struct {
		err       *neural.DivergedError
		lib, flag string
	}{
		{&neural.DivergedError{Model: "lstm", Epoch: 3, Loss: math.NaN(), LR: 0.5, Clip: 1},
			"lstm: training diverged at epoch 3 (loss NaN); try a lower learning rate (LR, 0.5) or gradient clipping (Clip, 1)",
			"lstm: training diverged at epoch 3 (loss NaN); try a lower learning rate (--lr) or gradient clipping (--clip)"},
		{&neural.DivergedError{Model: "gru", Epoch: 7, Loss: 2, Validation: true, LR: 0.001, Clip: -1},
			"gru: training diverged at epoch 7 (validation loss 2); try a lower learning rate (LR, 0.001) or gradient clipping (Clip, -1)",
			"gru: training diverged at epoch 7 (validation loss 2); try a lower learning rate (--lr) or gradient clipping (--clip)"},
	} {
		wrapped := fmt.Errorf("sales.csv: %w", tc.err)
		if got := wrapped.Error(); got != "sales.csv: "+tc.lib {
			t.Errorf("library message %q; want %q", got, "sales.csv: "+tc.lib)
		}
		if got := Message(wrapped); got != "sales.csv: "+tc.flag {
			t.Errorf("Message = %q; want %q", got, "sales.csv: "+tc.flag)
		}
		if !errors.Is(wrapped, neural.ErrDiverged) {
			t.Error("a DivergedError is not ErrDiverged")
		}
	}
	if got := Message(errors.New("plain")); got != "plain" {
		t.Errorf("Message(plain) = %q", got)
	}
}

// TestUsageErrors: the usage errors both front ends print.
func TestUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		err       error
		msg, hint string
	}{
		{CheckHorizon(-2, false), "invalid value -2 for flag --horizon", "--horizon is the number of steps to forecast, at least 1"},
		{CheckHorizon(0, true), "invalid value 0 for flag --horizon", "--horizon is the number of steps to forecast, at least 1"},
		{UnknownModel("model", "arima", "a model is one of ets"), `invalid value "arima" for flag --model: unknown model`, "a model is one of ets"},
		{CheckGlobal(true, "ets"), `flag --global needs a neural model, not "ets"`,
			"--global trains one model across series: use --model lstm, gru, rnn, mlp or hybrid; other models fit each series on its own with --id"},
	} {
		var se *SettingError
		var m *Mistake
		hint := ""
		switch {
		case errors.As(tc.err, &se):
			hint = se.Hint
		case errors.As(tc.err, &m):
			hint = m.Hint
		}
		if tc.err == nil || tc.err.Error() != tc.msg || hint != tc.hint {
			t.Errorf("got %v (hint %q); want %q (hint %q)", tc.err, hint, tc.msg, tc.hint)
		}
	}
	for _, err := range []error{CheckHorizon(0, false), CheckHorizon(3, true), CheckGlobal(false, "ets"), CheckGlobal(true, "lstm"), CheckGlobal(true, "hybrid")} {
		if err != nil {
			t.Errorf("unexpected %v", err)
		}
	}
}

// TestCheckCount: the counts' usage errors, as both front ends print them.
func TestCheckCount(t *testing.T) {
	for _, tc := range []struct {
		err error
		msg string
	}{
		{CheckBacktestCount("folds", 0), "invalid value 0 for flag --folds"},
		{CheckBacktestCount("step", -1), "invalid value -1 for flag --step"},
		{CheckCount("shards", 0, 1), "invalid value 0 for flag --shards"},
		{CheckCount("workers", -2, 0), "invalid value -2 for flag --workers"},
	} {
		var se *SettingError
		if !errors.As(tc.err, &se) || tc.err.Error() != tc.msg || se.Hint != "--"+se.Flag+" is a positive count" {
			t.Errorf("got %v; want %q with hint --FLAG is a positive count", tc.err, tc.msg)
		}
	}
	for _, err := range []error{CheckBacktestCount("folds", 1), CheckBacktestCount("step", 0), CheckCount("workers", 0, 0)} {
		if err != nil {
			t.Errorf("unexpected %v", err)
		}
	}
}
