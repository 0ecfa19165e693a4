#!/usr/bin/env bash
# Runs the README's code blocks as printed, so that the page cannot rot.
#
# Every fenced ```sh and ```go block of README.md carries a marker on the line
# before it, and this step fails on a block without one:
#   <!-- ci: run -->             run the block;
#   <!-- ci: skip: REASON -->    do not (REASON says where else it is covered);
#   <!-- ci: PATH -->            (Go blocks) the block must equal the file PATH,
#                                a program that a run block runs with go run.
# A block whose lines start with "$ " is a transcript: those lines are the
# commands, the others what they print. Any other block is one command a line.
# Commands run with bash, in order, in one scratch directory holding
# examples/data (a link to the repository's), so relative paths work as from
# the root of a clone. Three things differ from typing them, and the README
# says so where it matters:
#   - tsf is $TSF, the binary CI built, with --epochs 3 added to the commands
#     that train (forecast, backtest, train, compare) so that the step is fast;
#   - go run ./examples/NAME runs that example built beforehand;
#   - a trailing comment "(CI: FLAGS)" appends FLAGS (a shorter run).
# A command must exit 0, or non-zero when its transcript shows "tsf: error:"
# (unless it ends in "echo $?"). Every line a transcript shows that holds no
# measured number (no digit.digit, no duration such as 950ms) and is not
# "..." must appear, as a whole line, in what the command printed (stdout
# and stderr); a table row with measured numbers must appear with the same
# shape (which cells are numbers and which are "-").
# Env: $TSF, the built tsf; $TMPDIR, scratch. Run from the repository root.
set -euo pipefail
: "${TSF:?set TSF to the built tsf binary}"
repo=$(pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/readme.XXXXXX")
bin="$work/bin"
run="$work/run"
mkdir -p "$bin" "$run/examples"
ln -s "$repo/examples/data" "$run/examples/data"
fail=0

# Extract the blocks: "B line marker", then "C command" and "E expected" lines.
awk '
/^```/ {
	if (inblock) { inblock = 0; next }
	lang = substr($0, 4)
	if (lang == "sh" || lang == "go") {
		inblock = 1
		if (prev !~ /^<!-- ci: .* -->$/) { printf "X %d %s block without a <!-- ci: ... --> marker\n", NR, lang; next }
		m = prev; sub(/^<!-- ci: /, "", m); sub(/ -->$/, "", m)
		printf "B %d %s %s\n", NR, lang, m
		transcript = 0
	} else if (lang != "") {
		inblock = 1  # another language: not checked
		printf "N %d\n", NR
	} else {
		inblock = 1
		printf "N %d\n", NR
	}
	next
}
inblock { print "L " $0; next }
{ prev = $0 }
' README.md > "$work/blocks"

if grep -q '^X ' "$work/blocks"; then
	grep '^X ' "$work/blocks" | sed 's/^X /README.md: line /'
	exit 1
fi

# The examples that the README runs with go run, built once.
for ex in $(grep -o 'go run \./examples/[a-z0-9_]*' README.md | sed 's|go run ./examples/||' | sort -u); do
	go build -o "$bin/$ex" "./examples/$ex"
done

prelude=$(cat <<EOF
tsf() {
	case "\${1:-}" in
	forecast|backtest|train|compare) "$TSF" "\$@" --epochs 3 ;;
	*) "$TSF" "\$@" ;;
	esac
}
go() {
	if [ "\${1:-}" = run ] && [[ "\${2:-}" == ./examples/* ]]; then
		local name=\${2#./examples/}
		shift 2
		"$bin/\$name" "\$@"
	else
		command go "\$@"
	fi
}
EOF
)

# shape: for every table row on stdin (a name, then at least three cells
# that are all numbers, "-" or "n/a"), the row with each number replaced by
# N: "lstm N N N N - - N N".
shape() {
	awk '{
		nums = 0; out = $1; row = 1
		for (i = 2; i <= NF; i++) {
			f = $i
			if (f ~ /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?%?$/) { f = "N"; nums++ }
			else if (f != "-" && f != "n/a") { row = 0 }
			out = out " " f
		}
		if (row && nums >= 3) print out
	}'
}

# runcmd LINE CMD EXPECTED-FILE: runs one command and checks it.
runcmd() {
	local line=$1 cmd=$2 expected=$3
	local extra
	extra=$(printf '%s\n' "$cmd" | sed -n 's/.*#.*(CI: \(.*\)).*/\1/p')
	if [ -n "$extra" ]; then
		cmd=$(printf '%s\n' "$cmd" | sed 's/[[:space:]]*#.*$//')" $extra"
	fi
	local out="$work/out" status=0 start=$SECONDS
	(cd "$run" && bash -c "$prelude
$cmd") > "$out" 2>&1 < /dev/null || status=$?
	echo "   $cmd   [exit $status, $((SECONDS - start)) s]"
	local want_fail=0
	if grep -q '^tsf: error:' "$expected" && [[ "$cmd" != *'echo $?'* ]]; then
		want_fail=1
	fi
	if [ "$want_fail" = 0 ] && [ "$status" != 0 ]; then
		echo "README.md line $line: '$cmd' exited $status:"; sed 's/^/      /' "$out" | tail -20
		fail=1
		return
	fi
	if [ "$want_fail" = 1 ] && [ "$status" = 0 ]; then
		echo "README.md line $line: '$cmd' succeeded; the README shows an error"
		fail=1
		return
	fi
	local want
	shape < "$out" > "$work/shapes"
	while IFS= read -r want; do
		want=${want%"${want##*[![:space:]]}"}
		[ -z "$want" ] || [ "$want" = "..." ] && continue
		if [[ "$want" =~ [0-9]\.[0-9] ]] || [[ "$want" =~ [0-9](ms|s)([^[:alpha:]]|$) ]]; then
			# A table row with measured numbers: its shape (which cells are
			# numbers, which are "-" or words) must be printed.
			local ws
			ws=$(printf '%s\n' "$want" | shape)
			if [ -n "$ws" ] && ! grep -qxF -- "$ws" "$work/shapes"; then
				echo "README.md line $line: '$cmd' printed no table row of the shape the README shows:"
				echo "      $want   (shape: $ws)"
				echo "   it printed:"; sed 's/^/      /' "$out" | head -20
				fail=1
			fi
			continue
		fi
		if ! sed 's/[[:space:]]*$//' "$out" | grep -qxF -- "$want"; then
			echo "README.md line $line: '$cmd' did not print the line the README shows:"
			echo "      $want"
			echo "   it printed:"; sed 's/^/      /' "$out" | head -20
			fail=1
		fi
	done < "$expected"
}

# flush: runs the pending command of a transcript.
pending=""
flush() {
	if [ -n "$pending" ]; then
		runcmd "$pending_line" "$pending" "$work/expected"
	fi
	pending=""
	: > "$work/expected"
}

mode=skip lang="" target="" blockline=0 n=0
: > "$work/expected"
: > "$work/goblock"
endblock() {
	if [ "$mode" = run ] && [ "$lang" = sh ]; then
		flush
	fi
	if [ "$mode" = file ]; then
		if ! diff -u "$target" "$work/goblock" > "$work/diff"; then
			echo "README.md line $blockline: the Go block differs from $target:"; cat "$work/diff"
			fail=1
		fi
		: > "$work/goblock"
	fi
	mode=skip
}
while IFS= read -r rec; do
	kind=${rec%% *} rest=${rec#* }
	case "$kind" in
	B|N)
		endblock
		if [ "$kind" = N ]; then
			continue
		fi
		read -r blockline lang marker <<< "$rest"
		n=$((n + 1))
		case "$marker" in
		run) mode=run; echo "== README.md line $blockline: $lang block" ;;
		skip:*) mode=skip; echo "== README.md line $blockline: skipped (${marker#skip: })" ;;
		*) mode=file target=$marker; echo "== README.md line $blockline: $lang block = $target" ;;
		esac
		;;
	L)
		text=${rec#L }
		[ "$rec" = "L" ] && text=""
		case "$mode" in
		run)
			if [[ "$text" == '$ '* ]]; then
				flush
				pending=${text#'$ '} pending_line=$blockline
			elif [ -n "$pending" ]; then
				printf '%s\n' "$text" >> "$work/expected"
			elif [ -n "$text" ] && [[ "$text" != '#'* ]]; then
				runcmd "$blockline" "$text" /dev/null
			fi
			;;
		file) printf '%s\n' "$text" >> "$work/goblock" ;;
		esac
		;;
	esac
done < "$work/blocks"
endblock

rm -rf "$work"
if [ "$fail" != 0 ]; then
	echo "the README's code blocks do not run as printed"
	exit 1
fi
echo "README.md: $n code blocks checked"
