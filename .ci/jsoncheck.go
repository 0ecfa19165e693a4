//go:build ignore

// jsoncheck exits non-zero unless every file named on the command line holds
// exactly one JSON document that has the keys given after "--keys".
// Usage: go run .ci/jsoncheck.go FILE... --keys k1,k2
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

func main() {
	var files, keys []string
	args := os.Args[1:]
	for i := 0; i < len(args); i++ {
		if args[i] == "--keys" && i+1 < len(args) {
			keys = strings.Split(args[i+1], ",")
			i++
			continue
		}
		files = append(files, args[i])
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			fail("%v", err)
		}
		var doc map[string]any
		if err := json.Unmarshal(data, &doc); err != nil {
			fail("%s: not one JSON object: %v", f, err)
		}
		for _, k := range keys {
			if _, ok := doc[k]; !ok {
				fail("%s: no key %q", f, k)
			}
		}
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "jsoncheck: "+format+"\n", args...)
	os.Exit(1)
}
