#!/usr/bin/env bash
# The classical models on all 3003 M3 series (../shared/data/m3): ets and
# theta fit every series, and on the monthly group their 80 % and 95 %
# intervals cover within 5 points of nominal with no loss of accuracy
# (forecast/m3/classical_test.go). About 25 s of CPU; skipped without the data.
set -euo pipefail
if [ ! -f ../shared/data/m3/m3_train.csv ]; then
	echo "50-m3-classical: skipped: ../shared/data/m3 is absent"
	exit 0
fi
TSF_M3=1 go test -count=1 -run 'TestM3Classical' -timeout 20m ./forecast/m3/
