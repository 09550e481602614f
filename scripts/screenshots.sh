#!/usr/bin/env bash
# Remake the README's screenshots (docs/*.png) from the example with its history:
# printed pages with pdftoppm (poppler-utils), screen pages with headless Chromium.
#   bash scripts/screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python scripts/make_example_history.py "$work/west"
reportgen build "$work/west" --as-of 2026-11-26 -q
out="$work/west/output"
page() {  # page PDF N DEST: page N of PDF, 680 px wide
  pdftoppm -png -r 72 -f "$2" -l "$2" -scale-to-x 680 -scale-to-y 880 "$1" "$work/page"
  mv "$work"/page-*.png "$3"
}
page "$out/west-enterprise/reps/priya-raman.pdf" 1 docs/plan.png
page "$out/west-enterprise/reps/priya-raman.pdf" 2 docs/plan-2.png
page "$out/west-enterprise/scorecard.pdf" 1 docs/scorecard.png
page "$out/west-enterprise/scorecard.pdf" 2 docs/scorecard-2.png
shot() {  # shot HTML WIDTHxHEIGHT DEST
  chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --no-first-run --user-data-dir="$work/chromium" \
    --hide-scrollbars --screenshot="$3" --window-size="$2" "file://$1" 2>/dev/null
}
shot "$out/index.html" 1200,900 docs/index.png
shot "$out/index.html" 390,844 docs/index-phone.png
shot "$out/west-enterprise/scorecard.html" 390,844 docs/scorecard-phone.png
