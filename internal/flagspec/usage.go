package flagspec

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/tsf-go/tsf/forecast"
	"github.com/tsf-go/tsf/forecast/neural"
)

// Mistake is a usage error that is not one bad value: its message and
// what to do about it.
type Mistake struct {
	// Msg is the message.
	Msg string
	// Hint says what to do instead.
	Hint string
}

// Error returns the message, without the hint.
func (m *Mistake) Error() string { return m.Msg }

// CheckHorizon checks --horizon's value h; set says it was given (0 is
// then no horizon at all, rather than the default).
func CheckHorizon(h int, set bool) error {
	if h < 0 || (set && h == 0) {
		return &SettingError{Flag: "horizon", Kind: SettingCount, Value: strconv.Itoa(h),
			Hint: "--horizon is the number of steps to forecast, at least 1"}
	}
	return nil
}

// CheckCount checks a count flag's value n, which must be at least min
// (0 or 1).
func CheckCount(flag string, n, min int) error {
	if n < min {
		return &SettingError{Flag: flag, Kind: SettingCount, Value: strconv.Itoa(n), Hint: fmt.Sprintf("--%s is a positive count", flag)}
	}
	return nil
}

// BacktestCounts are the flags of a backtest's folds, in the order they
// are checked (CheckBacktestCount).
var BacktestCounts = []string{"folds", "step", "max-train", "refit-every"}

// CheckBacktestCount checks the value n of one of BacktestCounts: --folds
// at least 1, the others at least 0 (the default).
func CheckBacktestCount(flag string, n int) error {
	if flag == "folds" {
		return CheckCount(flag, n, 1)
	}
	return CheckCount(flag, n, 0)
}

// UnknownModel is the usage error of a flag (model, models) naming a model
// nobody registered; hint lists the models.
func UnknownModel(flag, name, hint string) error {
	return &SettingError{Flag: flag, Kind: SettingText, Value: name, Reason: "unknown model", Hint: hint}
}

// CheckGlobal checks --global for model name: it trains one model across
// series, which only the neural models and the global-only ones do.
func CheckGlobal(global bool, name string) error {
	if global && !forecast.IsNeural(name) && !forecast.GlobalOnly(name) {
		return &Mistake{Msg: fmt.Sprintf("flag --global needs a neural model, not %q", name),
			Hint: "--global trains one model across series: use --model lstm, gru, rnn, mlp or hybrid; other models fit each series on its own with --id"}
	}
	return nil
}

// Message returns err's message in a command line's words: where the
// library names a configuration field (a diverged network's LR and Clip),
// the message names the flag that sets it.
func Message(err error) string {
	msg := err.Error()
	var de *neural.DivergedError
	if errors.As(err, &de) {
		msg = strings.ReplaceAll(msg, de.Error(), de.What()+"; try a lower learning rate (--lr) or gradient clipping (--clip)")
	}
	return msg
}
