// kobai page: starts the WebAssembly module on the canvas and offers window.kobai, the scripting API for tests
// and for teachers who embed the page (README). Everything the page loads comes from its own origin.
(function () {
  'use strict';
  var canvas = document.getElementById('canvas');
  var resolveReady, rejectReady;
  var mod = null;
  var primary = null;  // kobai.wasm's exports, which the labs' code imports
  // The files' sizes before compression (window.kobaiBytes: web/split-labs.py writes them into kobai.js).
  var bytes = window['kobaiBytes'] || {};
  var ja = /^ja/.test(pref('kobai.lang') || navigator.language || '');
  var api = {
    ready: new Promise(function (res, rej) { resolveReady = res; rejectReady = rej; }),
    // A lesson id ("apple"), or an expression with its inputs: load('y = w*x', {w: 2, x: [[1, 2]]}). Inputs given
    // with a lesson override its values. Returns {ok: true} or {ok: false, error}; the page checks everything.
    load: function (textOrLessonId, inputs) {
      var kind = textOrLessonId === null ? 'null' : typeof textOrLessonId;
      var json;
      try {  // NaN and ±Infinity as words: JSON.stringify would make them null, and the message would say 'null'
        json = JSON.stringify(inputs === undefined ? null : inputs, function (k, v) {
          return typeof v === 'number' && !isFinite(v) ? String(v) : v;
        });
      } catch (e) {
        return {ok: false, error: 'kobai.load: the inputs cannot be read: ' + e.message};
      }
      return JSON.parse(withText(kind === 'string' ? textOrLessonId : '', function (p, n) {
        return call('kobai_api_load', 'string', ['string', 'number', 'number', 'string'], [kind, p, n, json || 'null']);
      }));
    },
    step: function () { return !!call('kobai_api_step', 'number', [], []); },
    back: function () { return !!call('kobai_api_back', 'number', [], []); },
    reset: function () { call('kobai_api_reset', null, [], []); },
    runPhase: function () { call('kobai_api_run_phase', null, [], []); },
    nextIteration: function () { return !!call('kobai_api_next_iteration', 'number', [], []); },
    setLang: function (lang) { call('kobai_api_set_lang', null, ['string'], [lang]); },
    // {phase, step, steps, iteration, output, nodes: [{name, op, value, grad}], explanation, lang, lesson, ...}
    state: function () { return JSON.parse(call('kobai_api_state', 'string', [], [])); },
    // Where a named control is drawn, in CSS pixels: {x, y, w, h}, or {} when it is not on screen.
    rect: function (name) { return JSON.parse(call('kobai_api_rect', 'string', ['string'], [name])); },
    // Every named control drawn in the last frame: {name: {x, y, w, h}}.
    rects: function () { return JSON.parse(call('kobai_api_rects', 'string', [], [])); },
    firstFrameTime: function () { return mod ? mod.firstFrameTime || null : null; },
    // The labs' code (kobai.labs.wasm): {requested, progress: 0..1 or −1, error}.
    labCode: function () { return {requested: !!lab.promise, progress: lab.progress, error: lab.error}; },
    // The work time of recent frames in milliseconds (for the benchmark).
    frameTimes: function () { return JSON.parse(call('kobai_api_frame_times', 'string', [], [])); },
    // ... and how long each of those frames waited for the GPU to finish the frame before it.
    frameWaits: function () { return JSON.parse(call('kobai_api_frame_waits', 'string', [], [])); }
  };
  window.kobai = api;

  function call(name, ret, types, args) {
    if (!mod) throw new Error('kobai is not ready yet: wait for kobai.ready');
    return mod.ccall(name, ret, types, args);
  }

  // Text handed to the module through its heap with its length: a large text would not fit on ccall's stack,
  // and a ccall string ends at the first NUL.
  function withText(text, use) {
    if (!mod) throw new Error('kobai is not ready yet: wait for kobai.ready');
    var n = mod.lengthBytesUTF8(text), p = mod._malloc(n + 1);
    mod.stringToUTF8(text, p, n + 1);
    try { return use(p, n); } finally { mod._free(p); }
  }

  function withBytes(bytes, use) {
    var p = mod._malloc(bytes.length);
    mod['HEAPU8'].set(bytes, p);
    try { return use(p, bytes.length); } finally { mod._free(p); }
  }

  function fit() {  // the canvas follows the window, drawn at the display's own pixel density
    var dpr = window.devicePixelRatio || 1;
    var w = window.innerWidth, h = window.innerHeight;
    if (mod) {
      mod.setCanvasSize(Math.round(w * dpr), Math.round(h * dpr));  // device pixels: crisp at any density
      mod._kobai_resize();
    }
    canvas.style.width = w + 'px';  // after: setCanvasSize clears the CSS size
    canvas.style.height = h + 'px';
  }

  function wake() { if (mod) mod._kobai_wake(); }

  function pref(key) {
    try { return window.localStorage.getItem(key); } catch (e) { return null; }
  }

  // A file fetched as a Response whose body counts its bytes as they arrive (decompressed, as the page uses
  // them), so that a progress bar can follow while WebAssembly compiles it streaming.
  function fetchCounting(url, onBytes) {
    return fetch(url, {credentials: 'same-origin'}).then(function (r) {
      if (!r.ok) throw new Error('the server answered ' + r.status + ' for ' + url);
      if (!r.body || typeof ReadableStream === 'undefined') return r;
      var reader = r.body.getReader(), got = 0;
      return new Response(new ReadableStream({
        pull: function (c) {
          return reader.read().then(function (x) {
            if (x.done) { c.close(); return; }
            got += x.value.length;
            onBytes(got);
            c.enqueue(x.value);
          });
        }
      }), {headers: {'Content-Type': 'application/wasm'}});
    });
  }
  function instantiate(response, imports) {
    return response.then(function (r) {
      if (WebAssembly.instantiateStreaming) return WebAssembly.instantiateStreaming(r, imports);
      return r.arrayBuffer().then(function (b) { return WebAssembly.instantiate(b, imports); });
    });
  }

  // --- the loading bar: bytes of kobai.wasm and kobai.data, in the page's language --------------------------
  var loading = document.getElementById('loading');
  var loadingLabel = document.getElementById('loading-label');
  var loadingFill = document.getElementById('loading-fill');
  var got = {wasm: 0, data: 0};
  function kb(n) { return Math.round(n / 1024).toLocaleString(ja ? 'ja-JP' : 'en-US') + ' KB'; }
  function showLoading() {
    if (!loading || !loading.parentNode) return;
    var total = (bytes['kobai.wasm'] || 0) + (bytes['kobai.data'] || 0);
    var done = Math.min(got.wasm, bytes['kobai.wasm'] || got.wasm) + Math.min(got.data, bytes['kobai.data'] || got.data);
    var share = total ? Math.min(1, done / total) : 0;
    var text = total ? (ja ? 'kobai を読み込んでいます: ' + kb(total) + ' 中 ' + kb(done)
                           : 'Loading kobai: ' + kb(done) + ' of ' + kb(total))
                     : (ja ? 'kobai を読み込んでいます…' : 'Loading kobai…');
    loading.setAttribute('lang', ja ? 'ja' : 'en');
    loading.setAttribute('aria-valuenow', String(Math.round(100 * share)));
    loading.setAttribute('aria-valuetext', text);
    if (loadingLabel) loadingLabel.textContent = text;
    if (loadingFill) loadingFill.style.width = (100 * share).toFixed(1) + '%';
  }
  showLoading();

  // --- the labs' code: kobai.labs.wasm, fetched when a lab is first opened ---------------------------------------
  // Its element segment writes its functions into kobai.wasm's table over the placeholders, so the page calls
  // them directly from then on. A placeholder runs only if the page calls lab code before it is in: a bug, said
  // at once and by name.
  var lab = {promise: null, progress: 0, error: ''};
  function loadLabs() {
    if (lab.promise) return lab.promise;
    var total = (bytes['kobai.labs.wasm'] || 0) + (bytes['kobai.labs.fonts'] || 0) + (bytes['kobai.questions.json'] || 0);
    var got = {code: 0, fonts: 0, bank: 0};
    function progress(part) {
      return function (n) {
        if (lab.progress < 0) return;  // one part failed: the other's bytes change nothing
        got[part] = n;
        lab.progress = total ? Math.min(0.99, (got.code + got.fonts + got.bank) / total) : 0.5;
        wake();
      };
    }
    // The labs' words come in their own font subsets (web/fonts/make-fonts.py): handed over before the code
    // says it is in, so a lab never draws a character the atlas lacks.
    var fonts = fetchCounting('kobai.labs.fonts', progress('fonts')).then(function (r) { return r.arrayBuffer(); });
    // The quiz's concept questions (engine/questions/*.json as one list), read by the labs' code.
    var questions = fetchCounting('kobai.questions.json', progress('bank')).then(function (r) { return r.text(); });
    lab.promise = Promise.all([instantiate(fetchCounting('kobai.labs.wasm', progress('code')), {'primary': primary}), fonts, questions]).then(function (done) {
      withBytes(new Uint8Array(done[1]), function (p, n) { mod._kobai_labs_fonts(p, n); });
      withText(done[2], function (p, n) { mod._kobai_questions(p, n); });
      lab.progress = 1;
      wake();
    }, function (e) {
      lab.progress = -1;
      lab.error = 'kobai.labs.wasm: ' + (e && e.message || e) + '; reload the page to try again';
      wake();
      throw e;
    });
    return lab.promise;
  }
  function placeholderCalled(index) {
    var say = 'kobai: the labs\' code (kobai.labs.wasm) was called before it was loaded: placeholder ' + index;
    console.error(say);
    fetch('kobai.labs.names.json').then(function (r) { return r.json(); }).then(function (names) {
      console.error(say + ' is ' + (names[index] || 'not in kobai.labs.names.json'));
    }, function () {});
    throw new Error(say);
  }

  // Text for the playground: a file of the page's own origin, a CSV the student picks, or a file dropped on the
  // page (what it is, the page decides by its content).
  var MAX_BYTES = 20 * 1024 * 1024;
  function deliver(tag, name, text, error) {
    // The playground reads it: its code first (a file dropped on the walkthrough may come before it). When that
    // code cannot be loaded, the playground says so itself.
    loadLabs().then(function () {
      withText(text, function (p, n) {
        mod.ccall('kobai_text_arrived', null, ['number', 'string', 'number', 'number', 'string'], [tag, name, p, n, error]);
      });
    }, function () {});
  }
  function readFile(tag, file) {
    if (file.size > MAX_BYTES) {  // in bytes: any rounding could make "20.0 MB" look within "up to 20 MB"
      deliver(tag, file.name, '', 'it is ' + file.size.toLocaleString('en-US') + ' bytes; the playground reads files of up to ' +
        MAX_BYTES.toLocaleString('en-US') + ' bytes (20 MiB)');
      return;
    }
    file.text().then(function (t) { deliver(tag, file.name, t, ''); }, function (e) { deliver(tag, file.name, '', String(e)); });
  }
  function readText(path, tag) {
    if (path) {
      fetch(path).then(function (r) {
        if (!r.ok) throw new Error('the server answered ' + r.status);
        return r.text();
      }).then(function (t) { deliver(tag, path, t, ''); }, function (e) { deliver(tag, path, '', String(e.message || e)); });
      return;
    }
    var input = document.createElement('input');
    input.type = 'file';
    // Tag −1: a lesson or question file (JSON) or a CSV, told apart by content; otherwise the playground's CSV.
    input.accept = tag < 0 ? '.json,application/json,.csv,text/csv,text/plain' : '.csv,text/csv,text/plain';
    input.addEventListener('change', function () { if (input.files && input.files[0]) readFile(tag, input.files[0]); });
    input.click();
  }

  // --- a teacher's file packed into a link (#lessonfile=, quiz.bank=): deflate-raw, then base64url ----------------
  var MAX_UNPACKED = 1 << 20;  // a link's file unpacks to at most 1 MiB: a crafted link cannot fill the memory
  function toBase64Url(bytes) {
    var s = '';
    for (var i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }
  // kind: 0 a lesson (#lessonfile=), 1 a question file (quiz.bank=): platform::Packed.
  function pack(kind, text) {
    var packed = new Response(new Blob([new TextEncoder().encode(text)]).stream().pipeThrough(new CompressionStream('deflate-raw')));
    Promise.all([packed.arrayBuffer(), api.ready]).then(function (done) {
      var link = toBase64Url(new Uint8Array(done[0]));
      withText(text, function (p, n) {
        withText(link, function (q) { mod._kobai_packed(kind, p, n, q); });
      });
    }, function (e) { console.warn('kobai: the file could not be packed for a link: ' + e); });
  }
  function unpack(kind, link) {
    function answer(text, error) {
      api.ready.then(function () {
        withText(link, function (l) {
          withText(text, function (p, n) {
            withText(error, function (e) { mod._kobai_unpacked(kind, l, p, n, e); });
          });
        });
      });
    }
    var bytes;
    try {
      var raw = atob(link.replace(/-/g, '+').replace(/_/g, '/'));
      bytes = new Uint8Array(raw.length);
      for (var i = 0; i < raw.length; ++i) bytes[i] = raw.charCodeAt(i);
    } catch (e) {
      answer('', 'it is cut short or changed (its length is not that of packed text)');
      return;
    }
    var reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
    var parts = [], got = 0;
    function more() {
      return reader.read().then(function (r) {
        if (r.done) return;
        got += r.value.length;
        if (got > MAX_UNPACKED) {
          reader.cancel();
          throw new Error('it unpacks to more than ' + MAX_UNPACKED.toLocaleString('en-US') + ' bytes; a lesson or question file is far smaller');
        }
        parts.push(r.value);
        return more();
      });
    }
    more().then(function () {
      var all = new Uint8Array(got), at = 0;
      parts.forEach(function (x) { all.set(x, at); at += x.length; });
      var text;
      try {
        text = new TextDecoder('utf-8', {fatal: true}).decode(all);
      } catch (e) {
        throw new Error('it does not unpack to UTF-8 text');
      }
      answer(text, '');
    }).catch(function (e) {
      var m = e && e.message || String(e);
      answer('', /^it /.test(m) ? m : 'it is cut short or changed, and cannot be unpacked (' + m + ')');
    });
  }

  var moduleArg = {
    canvas: canvas,
    print: function (t) { console.log(t); },
    printErr: function (t) { console.warn(t); },
    onFirstFrame: function () {
      resolveReady(api);
      // Offline use after a visit: registered once the page is drawn, so that its copies do not compete with
      // the first load.
      if ('serviceWorker' in navigator && location.protocol !== 'file:') {
        navigator.serviceWorker.register('sw.js').catch(function () { /* offline use is a bonus, not a requirement */ });
      }
    },
    readText: readText,
    pack: pack,
    unpack: unpack,
    // platform::lab_code(): starts the download on the first call; 0..1 while loading, 1 when in, −1 on failure
    labCode: function () {
      loadLabs().catch(function () {});
      return lab.progress;
    },
    labCodeError: function () { return lab.error; },
    // kobai.wasm fetched here, not by Emscripten: its bytes feed the loading bar, and its imports gain the
    // placeholders that stand for the labs' code until it is in. The fonts (kobai.data) come beside it: the module
    // starts once both are in, and main takes the fonts (Module.fontData) before its first frame.
    instantiateWasm: function (imports, done) {
      imports['placeholder'] = new Proxy({}, {
        get: function (target, index) { return function () { placeholderCalled(String(index)); }; }
      });
      var fonts = fetchCounting('kobai.data', function (n) { got.data = n; showLoading(); }).then(function (r) { return r.arrayBuffer(); });
      Promise.all([instantiate(fetchCounting('kobai.wasm', function (n) { got.wasm = n; showLoading(); }), imports), fonts]).then(function (r) {
        primary = r[0].instance.exports;
        moduleArg['fontData'] = new Uint8Array(r[1]);
        done(r[0].instance, r[0].module);
      }, function (e) {
        if (loading) loading.textContent = 'kobai could not start: ' + e;
        rejectReady(e);
      });
      return {};
    }
  };
  createKobai(moduleArg).then(function (m) {
    mod = m;
    fit();
    window.addEventListener('resize', fit);
    ['mousemove', 'mousedown', 'mouseup', 'wheel', 'keydown', 'keyup', 'touchstart', 'touchmove', 'focus', 'blur'].forEach(function (ev) {
      window.addEventListener(ev, wake, true);
    });
    window.addEventListener('hashchange', function () { m._kobai_hash_changed(); });
    window.addEventListener('dragover', function (e) { e.preventDefault(); });
    window.addEventListener('drop', function (e) {  // a file dropped anywhere on the page: a lesson, questions or a CSV
      e.preventDefault();
      var f = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
      if (f) readFile(-1, f);
    });
    canvas.focus();
  }, function (e) {
    document.getElementById('loading').textContent = 'kobai could not start: ' + e;
    rejectReady(e);
  });

})();
