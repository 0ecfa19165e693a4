package forecast

import (
	"slices"
	"strings"
)

// neuralModels are the models trained by gradient descent on windows.
var neuralModels = []string{"lstm", "gru", "rnn", "mlp"}

// NeuralModels returns the names of the neural models, trained by gradient
// descent: "lstm", "gru", "rnn", "mlp". They take the neural settings
// (Options.Params), and are the models that Options.Global trains across
// series. The slice is the caller's.
func NeuralModels() []string { return slices.Clone(neuralModels) }

// IsNeural reports whether name is one of NeuralModels.
func IsNeural(name string) bool { return slices.Contains(neuralModels, name) }

// orList joins words as "a, b or c", for messages.
func orList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}
