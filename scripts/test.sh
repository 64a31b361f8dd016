#!/usr/bin/env bash
# Runs every test: unit, integration, snapshot, doc, and the real-data tests
# on ../shared/data (override with CAMCOUNT_DATA). The real-data tests fail,
# never skip, when that folder is missing. Some tests read our outputs with
# GDAL's ogrinfo, LibreOffice, headless Chromium (its PDFs with poppler's
# pdftotext) and osmium, and measure memory with GNU time; as root
# this script installs those Debian packages when they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v ogrinfo >/dev/null 2>&1 || missing+=(gdal-bin)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-calc-nogui)
command -v /usr/bin/time >/dev/null 2>&1 || missing+=(time)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
command -v osmium >/dev/null 2>&1 || missing+=(osmium-tool)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        echo "error: missing ${missing[*]} (Debian packages); install them first" >&2
        exit 1
    fi
fi

export CAMCOUNT_DATA="${CAMCOUNT_DATA:-$(cd .. && pwd)/shared/data}"
if [ ! -d "$CAMCOUNT_DATA/pbf" ]; then
    echo "error: real test data not found at $CAMCOUNT_DATA (set CAMCOUNT_DATA)" >&2
    exit 1
fi

cargo test "$@"
