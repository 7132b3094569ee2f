# kobai: two commands for a fresh Debian 12 machine.
#   make serve   installs what is missing, builds the page, serves it on http://127.0.0.1:$(PORT)/
#   make test    installs what is missing, builds, runs every test (native, ASan+UBSan, fuzz, wasm, browser)
PORT ?= 8000
FUZZ_SECONDS ?= 60
export NODE_PATH := /usr/share/nodejs

APT_PACKAGES := cmake make g++ clang libclang-rt-14-dev libeigen3-dev doctest-dev nlohmann-json3-dev python3-jsonschema \
                emscripten python3 python3-fonttools fonts-dejavu-core fonts-ipaexfont-gothic chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: serve test bench deps native asan fuzz wasm clean

serve: deps wasm
	python3 web/serve.py build/wasm/site $(PORT)

test: deps
	$(MAKE) native
	ctest --preset native
	$(MAKE) asan
	ctest --preset asan
	$(MAKE) fuzz
	ctest --preset fuzz
	$(MAKE) wasm
	ctest --preset wasm
	node --test tests/browser/

# Figures, not pass/fail: training throughput, layout time, and the page's sizes, start-up and frame times.
bench: deps native wasm
	cmake --build --preset native --target kobai_train_bench kobai_layout_bench kobai_activations_bench kobai_seq_bench
	cmake --build --preset wasm --target kobai_train_bench_simd kobai_train_bench_nosimd kobai_layout_bench kobai_activations_bench kobai_seq_bench
	node tests/bench/bench_train.mjs
	node tests/bench/bench_layout.mjs
	node tests/bench/bench_activations.mjs
	node tests/bench/bench_seq.mjs
	node tests/browser/bench_page.mjs

# Installs only what is missing, quietly; nothing at all when everything is there.
deps:
	@missing=$$(for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing from Debian: $$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
	@sh web/get-imgui.sh build/third_party
	@sh web/get-data.sh build/data
	@command -v npm >/dev/null || { echo "installing npm from Debian"; $(SUDO) apt-get install -y -qq --no-install-recommends npm >/dev/null; }
	@(for p in playwright-core @tensorflow/tfjs @tensorflow/tfjs-backend-wasm; do [ -d node_modules/$$p ] || exit 1; done) || \
	  npm ci --no-audit --no-fund --loglevel=error

native:
	cmake --preset native >/dev/null
	cmake --build --preset native

asan:
	cmake --preset asan >/dev/null
	cmake --build --preset asan

fuzz:
	cmake --preset fuzz -DKOBAI_FUZZ_SECONDS=$(FUZZ_SECONDS) >/dev/null
	cmake --build --preset fuzz

wasm:
	cmake --preset wasm >/dev/null
	cmake --build --preset wasm

clean:
	rm -rf build
