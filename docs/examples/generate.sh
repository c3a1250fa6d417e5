#!/bin/sh
# Regenerate the sample reports in docs/examples from the bundled exercise case.
# EXERCISE DATA: the case is invented (see scripts/make_exercise_case.py); the reports say so on
# every page. Run from the repository root: docs/examples/generate.sh
set -eu
armtrace=${ARMTRACE:-.venv/bin/armtrace}
out=docs/examples
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export ARMTRACE_DB="sqlite:///$work/armtrace.db" ARMTRACE_EVIDENCE="$work/evidence"
"$armtrace" import --exercise src/armtrace/demo/data/exercise_case.csv
"$armtrace" analyse
"$armtrace" report EX-MSL-001 --format html -o "$out/exercise-report-EX-MSL-001.html"
"$armtrace" report EX-MSL-001 --format pdf -o "$out/exercise-report-EX-MSL-001.pdf"
"$armtrace" report --campaign --country UA --format pdf -o "$out/exercise-campaign-UA.pdf"
