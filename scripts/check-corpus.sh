#!/usr/bin/env bash
# Checks a tiled corpus against its seeds: N tiles must hold exactly N times
# each seed's cameras, admin_level=8 candidates, assembled communes and
# cameras counted inside them. Exits 1 on any mismatch.
# Usage: scripts/check-corpus.sh CORPUS TILES SEED.osm.pbf...
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=$1 tiles=$2
shift 2
bin=target/release/camcount
[ -x "$bin" ] || cargo build --release --quiet

# cameras, candidates, assembled communes (ok, or partial: a seed's header
# box cuts a relation its tile in the corpus does not), cameras inside them
figures() {
    local cameras rows
    cameras=$("$bin" cameras "$1" -q | tail -n +2 | wc -l)
    rows=$("$bin" "$1" -q | tail -n +2)
    echo "$cameras $(echo "$rows" | grep -c . || true) \
$(echo "$rows" | awk -F, '$12 == "ok" || $12 == "partial"' | wc -l) \
$(echo "$rows" | awk -F, '$12 == "ok" || $12 == "partial" {s += $8} END {print s + 0}')"
}

expected=(0 0 0 0)
for seed in "$@"; do
    read -r -a f < <(figures "$seed")
    for i in 0 1 2 3; do expected[i]=$(( expected[i] + f[i] * tiles )); done
done
read -r -a got < <(figures "$corpus")
names=(cameras "admin8 candidates" "communes assembled" "cameras in communes")
status=0
for i in 0 1 2 3; do
    mark=ok
    [ "${got[i]}" = "${expected[i]}" ] || { mark=MISMATCH; status=1; }
    printf 'corpus check: %-20s expected %8s got %8s %s\n' "${names[i]}" "${expected[i]}" "${got[i]}" "$mark"
done
exit $status
