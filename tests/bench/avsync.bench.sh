#!/usr/bin/env bash
# avsync.bench.sh — av_sync_offset_ms_p99: the p99 of |video pts - audio clock| of the
# doctor's pictures presented on the real cabin (tests/media/avsync.test.sh with
# AVSYNC_BENCH=1; its TAP lines are dropped by tests/bench/run's filter).
set -uo pipefail
: "${BUILD:?}" "${CABIN_SRC:?}"
AVSYNC_BENCH=1 "$CABIN_SRC/tests/media/avsync.test.sh"
