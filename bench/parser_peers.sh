#!/usr/bin/env bash
# Parser side by side, same page, same run: our text 0.0.4 parser against the
# text parser of prometheus/common (expfmt.TextParser, used by client_golang
# and promtool; Debian's golang-github-prometheus-common-dev). Prometheus's own
# scrape parser (model/textparse) is not packaged in Debian, so it is not here.
# Usage: bench/parser_peers.sh [build-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}
page=../shared/data/node_exporter-1.5.0-page.prom
[ -f "$page" ] || { echo "skipped: $page not found (the team's shared/ folder)"; exit 0; }

need=()
for p in golang-go golang-github-prometheus-common-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd bench/peers/expfmt_parse &&
  HOME=$work GOCACHE=$work/cache GO111MODULE=off GOPATH=/usr/share/gocode go build -o "$work/expfmt_parse" .)

ours=$("$build_dir"/bench/parser_bench --benchmark_filter=BM_ParsePrometheusText \
  --benchmark_repetitions=5 --benchmark_report_aggregates_only=true --benchmark_format=csv 2>/dev/null |
  awk -F, '/_median/ { print $6 / 1048576 }')
peer_line=$("$work/expfmt_parse" "$page")
peer=$(echo "$peer_line" | sed -E 's/.*median ([0-9]+) MiB.*/\1/')
echo "metrics-collector parse_exposition (text 0.0.4): median $(printf '%.0f' "$ours") MiB/s"
echo "$peer_line"
awk -v a="$ours" -v b="$peer" 'BEGIN { printf "ratio: %.1fx\n", a / b }'
