// kobai page: starts the WebAssembly module on the canvas and offers window.kobai, the scripting API for tests
// and for teachers who embed the page (README). Everything the page loads comes from its own origin.
(function () {
  'use strict';
  var canvas = document.getElementById('canvas');
  var resolveReady, rejectReady;
  var mod = null;
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
    // The work time of recent frames in milliseconds (for the benchmark).
    frameTimes: function () { return JSON.parse(call('kobai_api_frame_times', 'string', [], [])); }
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

  // Text for the playground: a file of the page's own origin, a CSV the student picks, or a file dropped on the
  // page (what it is, the page decides by its content).
  var MAX_BYTES = 20 * 1024 * 1024;
  function deliver(tag, name, text, error) {
    withText(text, function (p, n) {
      mod.ccall('kobai_text_arrived', null, ['number', 'string', 'number', 'number', 'string'], [tag, name, p, n, error]);
    });
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
    input.accept = '.csv,text/csv,text/plain';
    input.addEventListener('change', function () { if (input.files && input.files[0]) readFile(tag, input.files[0]); });
    input.click();
  }

  createKobai({
    canvas: canvas,
    print: function (t) { console.log(t); },
    printErr: function (t) { console.warn(t); },
    onFirstFrame: function () { resolveReady(api); },
    readText: readText
  }).then(function (m) {
    mod = m;
    fit();
    window.addEventListener('resize', fit);
    ['mousemove', 'mousedown', 'mouseup', 'wheel', 'keydown', 'keyup', 'touchstart', 'touchmove', 'focus', 'blur'].forEach(function (ev) {
      window.addEventListener(ev, wake, true);
    });
    window.addEventListener('hashchange', function () { m._kobai_hash_changed(); });
    window.addEventListener('dragover', function (e) { e.preventDefault(); });
    window.addEventListener('drop', function (e) {  // a file dropped anywhere on the page: the playground reads it
      e.preventDefault();
      var f = e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files[0];
      if (f) readFile(-1, f);
    });
    canvas.focus();
  }, function (e) {
    document.getElementById('loading').textContent = 'kobai could not start: ' + e;
    rejectReady(e);
  });

  if ('serviceWorker' in navigator && location.protocol !== 'file:') {
    navigator.serviceWorker.register('sw.js').catch(function () { /* offline use is a bonus, not a requirement */ });
  }
})();
