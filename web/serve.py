"""Serves the built page on 127.0.0.1 only: python3 web/serve.py SITE_DIR PORT

Compressed as a real host would send it (gzip, for browsers that ask), with the compressed length in
Content-Length, so that what the benchmarks measure on the wire is what visitors would download."""
import functools
import gzip
import http.server
import io
import os
import sys

site, port = sys.argv[1], int(sys.argv[2])
COMPRESSED = (".wasm", ".data", ".js", ".css", ".html", ".json", ".csv")
cache = {}  # path -> (mtime, size, gzipped bytes)


def gzipped(path):
    st = os.stat(path)
    hit = cache.get(path)
    if hit and hit[0] == st.st_mtime_ns and hit[1] == st.st_size:
        return hit[2]
    with open(path, "rb") as f:
        body = gzip.compress(f.read(), compresslevel=9, mtime=0)
    cache[path] = (st.st_mtime_ns, st.st_size, body)
    return body


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".wasm": "application/wasm", ".js": "text/javascript", ".json": "application/json"}

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?")[0].endswith("/"):
            path = os.path.join(path, "index.html")
        if (not path.endswith(COMPRESSED) or not os.path.isfile(path)
                or "gzip" not in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        try:
            body = gzipped(path)
        except OSError:
            return super().send_head()
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)

    def handle(self):
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser stopped reading (a page closed mid-file): nothing to report

    def end_headers(self):
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, fmt, *args):  # quiet: one line per error only
        if args and str(args[1]).startswith(("4", "5")):
            super().log_message(fmt, *args)


server = http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Handler, directory=site))
print(f"kobai: serving {site} on http://127.0.0.1:{port}/ (Ctrl-C stops)", flush=True)
try:
    server.serve_forever()
except KeyboardInterrupt:
    pass
