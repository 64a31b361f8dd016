#!/usr/bin/env bash
# End-to-end benchmark on one PBF file, all commands in the same run,
# alternating A/B/C/D rounds and taking medians (default 3 rounds):
#   floor    camcount inflate: read and inflate every blob, all threads
#   cameras  camcount cameras
#   count    camcount (admin_level 8 boundaries, join, CSV)
#   osmium   OSMIUM_POOL_THREADS=<cores> osmium tags-filter -R FILE n/man_made=surveillance
#   with OSMIUM_BOUNDARIES=1, osmium's way to the boundaries: osmium tags-filter
#   FILE r/boundary=administrative, then osmium export to GeoJSON, twice:
#     osm-bounds     as issue 6 writes it (osmium's default pool threads)
#     osm-bounds-Nt  with OSMIUM_POOL_THREADS=<cores>, a stronger peer
#   with BENCH_PEERS=1, the camera count (nodes, ways and relations tagged
#   man_made=surveillance) by other Rust PBF readers, from benches/peers
#   (its own crate, not our dependency; osmpbf's zlib-ng backend needs cmake):
#     osmpbf    osmpbf's par_map_reduce, zlib-ng backend
#     pbfhogg   pbfhogg's par_map_reduce
#   Their counts must equal ours, or the run fails. Opt-in because building
#   them costs minutes of compiling that CI has no use for.
# The order rotates every round; each run starts with the file in the page
# cache, after a 1 s pause (BENCH_PAUSE). Prints wall times, ratios to the floor and to osmium, peak RSS
# (GNU time %M, as -v reports it), throughput, and a line per issue-6 target.
# A history file (CORPUS.osh.pbf, e.g. `make-corpus --history 3`) gets
# the commands of issue 20 instead:
#   floor       camcount inflate
#   history-1   camcount history at one date
#   history-N   camcount history --every year from 2012 (one date a year)
#   osmium-1    osmium time-filter at that one date, then camcount's count
#               of the snapshot (the peer's way to one date's figures)
# Several corpora are measured one after the other, each in its own rounds
# and with its own table; the run ends with one table of every target on
# every corpus (issue 22: the tiled and national corpora side by side,
# osmium's boundary pipeline the peer on each with OSMIUM_BOUNDARIES=1).
# The count's peak RSS is held to 200 MiB (issues 6 and 22), or to 300 MiB
# on a corpus over 2 GiB (issue 22's national corpus, densified).
# A report: timings never fail the run.
# Usage: scripts/bench.sh CORPUS.osm.pbf|CORPUS.osh.pbf... [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
usage="usage: scripts/bench.sh CORPUS.osm.pbf|CORPUS.osh.pbf... [ROUNDS]"
corpora=()
rounds=3
for arg in "$@"; do
    case $arg in
        *.pbf) corpora+=("$arg") ;;
        *[!0-9]* | '') echo "$usage" >&2; exit 2 ;;
        *) rounds=$arg ;;
    esac
done
[ ${#corpora[@]} -gt 0 ] || { echo "$usage" >&2; exit 2; }
cores=$(nproc)
cargo build --release --quiet
bin=target/release/camcount
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
summary_table=$work/targets

# The camera count of `camcount cameras` output on stdin ("70,479 cameras
# (…"), without its thousands separators.
cameras_in() { sed -n 's/.*: \([0-9,]*\) cameras (.*/\1/p' | tr -d , | tail -1; }

# bench CORPUS: one corpus's rounds, table and target lines (also kept in
# $summary_table for the closing table).
bench() {
    local corpus=$1
    local history=0
    case $corpus in *.osh.pbf) history=1 ;; esac
    at=${BENCH_HISTORY_AT:-2020-01-01}
    if [ "$history" = 1 ]; then
        declare -A commands=(
            [floor]="$bin inflate $corpus -q"
            [history-1]="$bin history $corpus --at $at -q -o $work/history-1.csv"
            [history-N]="$bin history $corpus --every year --from 2012-01-01 -q -o $work/history-n.csv"
        )
        order=(floor history-1 history-N)
        if command -v osmium >/dev/null 2>&1; then
            commands[osmium-1]="osmium time-filter $corpus ${at}T00:00:00Z -o $work/at.osm.pbf --overwrite && $bin $work/at.osm.pbf -q -o $work/at.csv"
            order+=(osmium-1)
        fi
    else
    declare -A commands=(
        [floor]="$bin inflate $corpus -q"
        [cameras]="$bin cameras $corpus -q -o $work/cameras.csv"
        [count]="$bin $corpus -q -o $work/communes.csv"
    )
    order=(floor cameras count)
    fi
    if [ "$history" = 0 ] && command -v osmium >/dev/null 2>&1; then
        commands[osmium]="env OSMIUM_POOL_THREADS=$cores osmium tags-filter -R $corpus n/man_made=surveillance -o $work/osmium.osm.pbf --overwrite"
        order+=(osmium)
        if [ "${OSMIUM_BOUNDARIES:-0}" = 1 ]; then
            boundaries="osmium tags-filter $corpus r/boundary=administrative -o $work/b.osm.pbf --overwrite && osmium export $work/b.osm.pbf -o $work/b.geojson --overwrite"
            commands[osm-bounds]="env -u OSMIUM_POOL_THREADS sh -c '$boundaries'"
            commands[osm-bounds-${cores}t]="env OSMIUM_POOL_THREADS=$cores sh -c '$boundaries'"
            order+=(osm-bounds "osm-bounds-${cores}t")
        fi
    fi
    # One `cameras -v` run gives the camera count the peers must match,
    # the elements and the decoders of the header line.
    summary=$($bin cameras -v "$corpus" -o "$work/count.csv" 2>&1)
    ours=$(echo "$summary" | cameras_in)
    elements=$(echo "$summary" | sed -n 's/.* \([0-9]*\) elements.*/\1/p' | tail -1)
    decoders=$(echo "$summary" | sed -n 's/.*delta decoders (node ids, coordinates): //p')
    if [ "${BENCH_PEERS:-0}" = 1 ] && [ "$history" = 0 ]; then
        cargo build --release --quiet --manifest-path benches/peers/Cargo.toml
        peers=benches/peers/target/release/camcount-peers
        for peer in osmpbf pbfhogg; do
            theirs=$($peers "$peer" "$corpus")
            if [ "$theirs" != "$ours" ]; then
                echo "bench: $peer counts $theirs cameras, camcount $ours"
                exit 1
            fi
            commands[$peer]="$peers $peer $corpus"
            order+=("$peer")
        done
    fi

    declare -A times rss
    for ((round = 1; round <= rounds; round++)); do
        # Rotate the order each round. Every run starts with the file in the page
        # cache: osmium drops its input from the cache when it is done
        # (posix_fadvise), so the next command would read from disk.
        n=${#order[@]}
        for ((k = 0; k < n; k++)); do
            name=${order[$(( (k + round) % n ))]}
            cat "$corpus" >/dev/null
            sleep "${BENCH_PAUSE:-1}"
            # Wall time from the clock in nanoseconds (GNU time's %e is too
            # coarse for the shortest runs); peak RSS from GNU time.
            start=$(date +%s%N)
            /usr/bin/time -f "%M" -o "$work/time" bash -c "${commands[$name]}" >/dev/null 2>"$work/stderr" || {
                echo "bench: $name failed:"; cat "$work/stderr"; exit 1; }
            wall=$(awk -v ns=$(( $(date +%s%N) - start )) 'BEGIN {printf "%.3f", ns / 1e9}')
            kb=$(tail -1 "$work/time")
            times[$name]+="$wall "
            rss[$name]=$(( ${rss[$name]:-0} > kb ? ${rss[$name]:-0} : kb ))
        done
    done

    median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
    size=$(stat -c %s "$corpus")
    declare -A medians
    for name in "${order[@]}"; do medians[$name]=$(echo "${times[$name]}" | median); done
    floor=${medians[floor]}
    osmium=${medians[osmium]:-}

    echo "benchmark: $corpus ($(awk "BEGIN {printf \"%.1f\", $size/1048576}") MiB, $elements elements, ${ours:-?} cameras), $rounds rounds, $cores cores, $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), ${decoders:-?} decoders"
    printf '%-18s %10s %9s %10s %10s %9s %12s\n' command "median s" "x floor" "osmium/x" "peak MiB" "MB/s" "Melem/s"
    for name in "${order[@]}"; do
        m=${medians[$name]}
        vs_osmium="-"
        [ -n "$osmium" ] && vs_osmium=$(awk "BEGIN {print ($m > 0 ? sprintf(\"%.2f\", $osmium/$m) : \"-\")}")
        awk -v n="$name" -v m="$m" -v f="$floor" -v o="$vs_osmium" -v r="${rss[$name]}" -v s="$size" -v e="$elements" \
            'function ratio(a, b, format) { return b > 0 ? sprintf(format, a / b) : "-" }
             BEGIN {printf "%-18s %10.3f %9s %10s %10.1f %9s %12s\n", n, m, ratio(m, f, "%.2f"), o, r/1024, ratio(s/1e6, m, "%.0f"), ratio(e/1e6, m, "%.1f")}'
    done
    # The targets of issues 6, 20 and 22, from this run's medians: one
    # line each, and one row each of the closing table.
    echo "targets (issue 6: set for the 1 GiB corpus on 2 cores; issue 22: the tiled and national corpora; issue 20: the history corpus), from this run's medians:"
    check() { # label, value, comparison, bound
        awk -v l="$1" -v r="$2" -v c="$3" -v t="$4" \
            -v name="$(basename "$corpus")" -v table="$summary_table" 'BEGIN {
            ok = (c == "<=") ? r <= t : r >= t
            printf "target: %-44s %6.2f (%s %s) %s\n", l, r, c, t, ok ? "met" : "not met"
            printf "%-28s %-44s %9.2f %8s %s\n", name, l, r, c " " t, ok ? "met" : "NOT MET" >> table }'
    }
    target() { # label, numerator, denominator, comparison, bound: a ratio of medians
        local a=${medians[$2]:-} b=${medians[$3]:-}
        [ -n "$a" ] && [ -n "$b" ] || return 0
        if awk -v a="$a" -v b="$b" 'BEGIN {exit !(a <= 0 || b <= 0)}'; then
            printf 'target: %-44s too fast to time\n' "$1"
            return 0
        fi
        check "$1" "$(awk -v a="$a" -v b="$b" 'BEGIN {print a / b}')" "$4" "$5"
    }
    target "cameras / floor" cameras floor "<=" 1.3
    target "count / floor" count floor "<=" 1.5
    if [ -n "${rss[count]:-}" ]; then
        check "count peak RSS, MiB" "$(awk -v k="${rss[count]}" 'BEGIN {print k / 1024}')" \
            "<=" "$(( size > 2 * 1024 ** 3 ? 300 : 200 ))"
    fi
    target "osmium tags-filter / cameras" osmium cameras ">=" 3.5
    target "osm-bounds / count" osm-bounds count ">=" 15
    target "osm-bounds-${cores}t / count (stronger peer)" "osm-bounds-${cores}t" count ">=" 15
    target "history at one date / floor (issue 20)" history-1 floor "<=" 1.5
    if [ "$history" = 1 ] && [ -f "$work/at.osm.pbf" ]; then
        # The peer's cameras at the date must be ours.
        hist=$($bin history "$corpus" --at "$at" -o /dev/null 2>&1 | sed -n 's/.* through time in .*: \([0-9]*\) (.*/\1/p')
        snap=$($bin cameras "$work/at.osm.pbf" -o /dev/null 2>&1 | cameras_in)
        echo "cameras at $at: camcount history $hist, osmium time-filter then camcount $snap$([ "$hist" = "$snap" ] || echo ' (DIFFER)')"
    fi
    echo "runs (s): $(for n in "${order[@]}"; do printf '%s=[%s] ' "$n" "${times[$n]% }"; done)"
}

for corpus in "${corpora[@]}"; do
    bench "$corpus"
    echo
done
echo "all targets, $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $cores cores (each corpus's medians from its own rounds):"
printf '%-28s %-44s %9s %8s %s\n' corpus figure measured target ""
cat "$summary_table" 2>/dev/null || true
