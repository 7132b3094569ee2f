#!/bin/sh
# Real data for training, taken at build time from Debian's python3-sklearn package (downloaded, not installed):
# the UCI handwritten digits (1797 images of 8x8) and Iris. Idempotent. get-data.sh DEST
set -eu
mkdir -p "$1" && dest=$(cd "$1" && pwd)
[ -f "$dest/digits.csv" ] && [ -f "$dest/iris.csv" ] && exit 0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "get-data: the digits and Iris data sets from Debian's python3-sklearn package"
# With empty package lists (a machine where everything else was already installed) apt knows no package yet.
(cd "$work" && apt-get -qq download python3-sklearn 2>/dev/null) ||
  { $([ "$(id -u)" = 0 ] || echo sudo) apt-get update -qq && (cd "$work" && apt-get -qq download python3-sklearn 2>/dev/null); }
dpkg-deb -x "$work"/python3-sklearn_*.deb "$work/x"
data="$work/x/usr/lib/python3/dist-packages/sklearn/datasets/data"
gzip -dc "$data/digits.csv.gz" > "$dest/digits.csv"
cp "$data/iris.csv" "$dest/iris.csv"
echo "get-data: $(wc -l < "$dest/digits.csv") digits, $(($(wc -l < "$dest/iris.csv") - 1)) irises in $dest"
