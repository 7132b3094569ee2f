#!/bin/sh
# Runs the fuzz target for a bounded time over a copy of the seed corpus: fuzz.sh FUZZER CORPUS SECONDS
# Fails on any crash, hang, leak or sanitizer report (libFuzzer exits non-zero).
set -u
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus"
cp "$2"/* "$work/corpus/"
"$1" -max_total_time="$3" -timeout=10 -rss_limit_mb=2048 -max_len=600 -print_final_stats=1 \
     -artifact_prefix="$work/" "$work/corpus" >"$work/log" 2>&1
status=$?
tail -n 30 "$work/log"
for f in "$work"/crash-* "$work"/timeout-* "$work"/leak-* "$work"/oom-*; do
  [ -e "$f" ] && { echo "failing input ($f):"; od -c "$f" | head -20; }
done
exit $status
