#!/bin/sh
# The WebAssembly engine runs in Chromium: serve the built site on loopback, load it headless, and read the
# walkthrough it printed. browser_smoke.sh SITE_DIR
set -u
site=$1
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 "$here/web/serve.py" "$site" "$port" >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for i in 1 2 3 4 5 6 7 8 9 10; do
  python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/')" 2>/dev/null && break
  sleep 0.3
done
timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync --user-data-dir="$work/profile" \
  --virtual-time-budget=10000 --dump-dom "http://127.0.0.1:$port/" >"$work/dom.html" 2>"$work/chromium.log"
fail=0
for want in 'data-ready="1"' 'price = (apple*num) × tax = 200 × 1.1 = 220' '∂price/∂apple = 2.2' '∂price/∂num = 110' '∂price/∂tax = 200'; do
  if grep -qF "$want" "$work/dom.html"; then echo "ok: $want"; else echo "MISSING: $want"; fail=1; fi
done
if [ $fail = 1 ]; then
  echo "--- page ---"; head -c 3000 "$work/dom.html"; echo "--- chromium ---"; tail -20 "$work/chromium.log"
fi
exit $fail
