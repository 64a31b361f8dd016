#!/usr/bin/env bash
# Runs every test: unit, integration, snapshot, doc, and the real-data tests
# on ../shared/data (override with CAMCOUNT_DATA). The real-data tests fail,
# never skip, when that folder is missing. The GeoJSON tests need GDAL's
# ogrinfo; as root this script installs Debian's gdal-bin when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v ogrinfo >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq && apt-get install -y -qq gdal-bin >/dev/null
    else
        echo "error: ogrinfo not found; install GDAL (Debian: apt-get install gdal-bin)" >&2
        exit 1
    fi
fi

export CAMCOUNT_DATA="${CAMCOUNT_DATA:-$(cd .. && pwd)/shared/data}"
if [ ! -d "$CAMCOUNT_DATA/pbf" ]; then
    echo "error: real test data not found at $CAMCOUNT_DATA (set CAMCOUNT_DATA)" >&2
    exit 1
fi

cargo test "$@"
