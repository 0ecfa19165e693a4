#!/usr/bin/env bash
# Many series end to end with the built binary ($TSF): forecast, backtest,
# train --global and predict on one long file; the output must not depend
# on --workers, and a bad series must be named while the others are written.
set -euo pipefail
tmp=$(mktemp -d "${TMPDIR:-/tmp}/many.XXXXXX")
fail() { echo "30-many: $*"; exit 1; }

"$TSF" generate --kind sine --series 12 --n 72 --seed 4 --out "$tmp/long.csv"
[ "$(head -1 "$tmp/long.csv")" = "series,time,value" ] || fail "generate --series header"

# forecast --id: header, 12 series × 6 steps, same bytes for 1 and 2 workers.
"$TSF" forecast "$tmp/long.csv" --id series --model theta --horizon 6 --workers 1 --quiet --out "$tmp/w1.csv"
"$TSF" forecast "$tmp/long.csv" --id series --model theta --horizon 6 --workers 2 --quiet > "$tmp/w2.csv"
[ "$(head -1 "$tmp/w1.csv")" = "series,time,forecast,lo80,hi80,lo95,hi95" ] || fail "forecast --id header"
[ "$(wc -l < "$tmp/w1.csv")" -eq 73 ] || fail "forecast --id should write 72 rows"
[ "$(cut -d, -f1 "$tmp/w1.csv" | sort -u | wc -l)" -eq 13 ] || fail "forecast --id should name 12 series"
cmp "$tmp/w1.csv" "$tmp/w2.csv" || fail "forecast --id differs between --workers 1 and 2"
"$TSF" forecast "$tmp/long.csv" --id series --model snaive --horizon 6 --json --quiet > "$tmp/fc.json"
go run .ci/jsoncheck.go "$tmp/fc.json" --keys id_column,model,horizon,series

# A bad cell in one series: named with row and column, the others written, exit 1.
{ cat "$tmp/long.csv"; printf 'zz,2000-01,1\nzz,2000-02,x\n'; } > "$tmp/bad.csv"
if "$TSF" forecast "$tmp/bad.csv" --id series --model naive --horizon 3 --out "$tmp/bad-fc.csv" 2> "$tmp/err.txt"; then
	fail "forecast --id accepted a bad cell"
fi
grep -q 'series "zz": row 867, column "value"' "$tmp/err.txt" || { cat "$tmp/err.txt"; fail "the bad series is not named with its cell"; }
[ "$(wc -l < "$tmp/bad-fc.csv")" -eq 37 ] || fail "the 12 good series should still be written"

# backtest --id: aggregate table, per-series CSV (12 series × 3 models), plot.
"$TSF" backtest "$tmp/long.csv" --id series --models naive,snaive,theta --horizon 6 --folds 2 --quiet \
	--per-series "$tmp/ps.csv" --plot "$tmp/mase.png" > "$tmp/table.txt"
grep -Eq '^ +model +sMAPE% +MASE +cover80 +cover95 +MSIS +series +seconds$' "$tmp/table.txt" || { cat "$tmp/table.txt"; fail "backtest --id table header"; }
grep -Eq '^ +theta( +[0-9.]+%?){5} +12 ' "$tmp/table.txt" || { cat "$tmp/table.txt"; fail "backtest --id theta row"; }
[ "$(head -1 "$tmp/ps.csv")" = "series,model,smape,mase,mae,rmse,cover80,cover95,msis,folds,seconds,error" ] || fail "--per-series header"
[ "$(wc -l < "$tmp/ps.csv")" -eq 37 ] || fail "--per-series should have 36 rows"
[ -s "$tmp/mase.png" ] || fail "backtest --id --plot wrote nothing"

# One global network: train --id --global, predict --id (same bytes as
# forecast --id --global), including a series the model never saw.
"$TSF" train "$tmp/long.csv" --id series --model lstm --global --horizon 6 --epochs 3 --hidden 16 --quiet --save "$tmp/g.tsf"
"$TSF" predict --model-file "$tmp/g.tsf" "$tmp/long.csv" --id series --quiet --out "$tmp/p.csv"
"$TSF" forecast "$tmp/long.csv" --id series --model lstm --global --horizon 6 --epochs 3 --hidden 16 --quiet --out "$tmp/g.csv"
cmp "$tmp/p.csv" "$tmp/g.csv" || fail "predict --id with the saved global model differs from forecast --id --global"
[ "$(wc -l < "$tmp/p.csv")" -eq 73 ] || fail "predict --id should write 72 rows"
"$TSF" generate --kind sine --series 2 --n 40 --seed 99 | sed '2,$ s/^s/new/' > "$tmp/new.csv"
"$TSF" predict --model-file "$tmp/g.tsf" "$tmp/new.csv" --id series --quiet > "$tmp/new-fc.csv"
[ "$(grep -c '^new[12],' "$tmp/new-fc.csv")" -eq 12 ] || fail "predict --id on unseen series"

# The real M3 monthly subset, when ../shared is beside the repository.
m3=../shared/data/m3/m3_train.csv
if [ -f "$m3" ]; then
	grep -E '^(series|M1|M2|M3|M4|M5),' "$m3" > "$tmp/m3.csv"
	"$TSF" forecast "$tmp/m3.csv" --id series --target value --model theta --horizon 18 --quiet --out "$tmp/m3-fc.csv"
	[ "$(wc -l < "$tmp/m3-fc.csv")" -eq 91 ] || fail "M3 subset: 5 series × 18 steps"
fi
rm -rf "$tmp"
echo "30-many: ok"
