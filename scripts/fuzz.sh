#!/usr/bin/env bash
# Runs each cargo-fuzz target for SECONDS (default 60) from the committed
# seed corpus (fuzz/seeds/<target>), in a scratch corpus so the repository
# is not modified. cargo-fuzz needs nightly features; RUSTC_BOOTSTRAP=1 lets
# the stable toolchain provide them. Exits non-zero if a target crashes.
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(pbf_blobs rings geojson_boundaries delta_decoders)
command -v cargo-fuzz >/dev/null 2>&1 || cargo install --quiet --locked cargo-fuzz
export RUSTC_BOOTSTRAP=1
cargo fuzz build
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
for target in "${targets[@]}"; do
    mkdir -p "$scratch/$target"
    echo "fuzz: $target for ${seconds}s"
    status=0
    cargo fuzz run "$target" "$scratch/$target" "seeds/$target" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
        >"$scratch/$target.log" 2>&1 || status=$?
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|Done)' "$scratch/$target.log" || true
    if [ "$status" != 0 ]; then
        echo "fuzz: $target FAILED (exit $status):"
        tail -40 "$scratch/$target.log"
        exit 1
    fi
done
