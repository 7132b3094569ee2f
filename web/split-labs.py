#!/usr/bin/python3
"""Cuts the linked page in two: the code the first frame needs (kobai.wasm) and the labs' code (kobai.labs.wasm),
fetched when a lab is first opened (boot.js: Module.labCode).

  split-labs.py NAMED_WASM SITE_DIR --lab-sources SRC... --entries NAME... --objects OBJ...

NAMED_WASM is the link's output with its function names (--profiling-funcs). A function stays in kobai.wasm when
the page can reach it before the labs' code is in: from an export or the table, by direct calls, never through the
entries (the few functions the page calls only once platform::lab_code() has said 1). Everything else goes to the
labs' file: the labs' own code (their objects are named by --lab-sources; llvm-nm reads LTO bitcode too) and the
library code (ImGui's, Eigen's) that only they use. The strings only that code uses go with it (move_data).
Both files ship without names. kobai.js learns the files' sizes (window.kobaiBytes), for the progress bars. kobai.labs.names.json maps each placeholder (the labs' functions the rest of the
page can reach through the table) to its name, for the error the page prints if one runs too early.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

FEATURES = "--all-features"


def run(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def unescape(name):
    """binaryen writes names with \\xx escapes for bytes such as '(', ' ' and ','."""
    out = bytearray()
    i = 0
    raw = name.encode()
    while i < len(raw):
        if raw[i] == 0x5C and i + 2 < len(raw) and re.match(rb"[0-9a-fA-F]{2}", raw[i + 1:i + 3]):
            out.append(int(raw[i + 1:i + 3], 16))
            i += 3
        else:
            out.append(raw[i])
            i += 1
    return out.decode(errors="replace")


def defined_symbols(paths):
    """Demangled names of the functions and data each object (or archive member) defines."""
    names = set()
    for p in paths:
        if not p:
            continue
        out = run("llvm-nm", "--defined-only", "--demangle", "--no-sort", p)
        for line in out.splitlines():
            parts = line.split(None, 2)
            if len(parts) == 3 and len(parts[1]) == 1:
                names.add(parts[2])
    return names


# --- Data: the string literals only the labs' code uses go with it ---------------------------------------------------
# wasm-split moves functions, not data: without this, every word of the later labs would still sit in kobai.wasm's
# data. A string moves when only what moves names it (a moved function's constant, or a pointer in a table that only
# moved functions read) and nothing that stays can reach it (strings_to_move says how that is judged; of a string
# whose end what stays uses as a shorter one, the part before goes). It goes to kobai.labs.wasm as an active segment at the same address, written into the shared memory when boot.js
# instantiates that file, before any of its functions can run; kobai.wasm no longer carries it.
LOAD = re.compile(r"^ *\((i32|i64|f32|f64|v128)\.load(8|16|32)?(?:_[su])?(?: offset=(\d+))?(?: align=\d+)?$")
MARGIN = 8  # bytes after an address that are reached through it with offsets, when it starts no string


def leb(b, i, signed=False):
    """A LEB128 at b[i] (unsigned, or signed): (value, the index after it)."""
    v = shift = 0
    while True:
        c = b[i]
        i += 1
        v |= (c & 0x7F) << shift
        shift += 7
        if c < 0x80:
            return (v - (1 << shift) if signed and c & 0x40 else v), i


def uleb_bytes(v):
    out = bytearray()
    while True:
        c, v = v & 0x7F, v >> 7
        out.append(c | (0x80 if v else 0))
        if not v:
            return bytes(out)


def sleb_bytes(v):
    out = bytearray()
    while True:
        c, v = v & 0x7F, v >> 7
        done = (v == 0 and not c & 0x40) or (v == -1 and c & 0x40)
        out.append(c | (0 if done else 0x80))
        if done:
            return bytes(out)


def sections(b):
    """The module's sections in order: [id, payload]."""
    assert b[:8] == b"\0asm\1\0\0\0", "not a wasm module"
    out, i = [], 8
    while i < len(b):
        n, j = leb(b, i + 1)
        out.append([b[i], b[j:j + n]])
        i = j + n
    return out


def join_sections(secs):
    return b"\0asm\1\0\0\0" + b"".join(bytes([k]) + uleb_bytes(len(p)) + p for k, p in secs)


def data_segments(payload):
    """Active segments of memory 0 at constant addresses, [address, bytes]; None when any is of another kind."""
    n, i = leb(payload, 0)
    out = []
    for _ in range(n):
        flags, i = leb(payload, i)
        if flags != 0 or payload[i] != 0x41:  # passive, another memory, or not at an i32.const
            return None
        addr, i = leb(payload, i + 1, signed=True)
        if payload[i] != 0x0B:
            return None
        size, i = leb(payload, i + 1)
        out.append([addr & 0xFFFFFFFF, bytes(payload[i:i + size])])
        i += size
    return out


def data_payload(segs):
    return uleb_bytes(len(segs)) + b"".join(b"\0\x41" + sleb_bytes(a if a < 1 << 31 else a - (1 << 32)) + b"\x0b" +
                                            uleb_bytes(len(d)) + d for a, d in segs)


def constants(line):
    """Every value on a line of wasm-dis text that could be an address: i32 constants, load/store offsets, and the
    32-bit halves and lanes of i64 and v128 constants (LLVM stores two pointers at once with one i64)."""
    out = [int(v) & 0xFFFFFFFF for v in re.findall(r"\(i32\.const (-?\d+)\)", line)]
    out += [int(v) for v in re.findall(r"offset=(\d+)", line)]
    for v in re.findall(r"\(i64\.const (-?\d+)\)", line):
        v = int(v) & 0xFFFFFFFFFFFFFFFF
        out += [v & 0xFFFFFFFF, v >> 32]
    for lanes in re.findall(r"\(v128\.const (\S+) ([^)]*)\)", line):
        if lanes[0] != "i32x4":
            raise ValueError("v128.const " + lanes[0])  # binaryen prints i32x4; anything else, look again
        out += [int(v, 16) for v in lanes[1].split()]
    return out


def is_text(raw):
    """A C string's bytes without its NUL: UTF-8 text, no control characters but tab and newline."""
    try:
        t = raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return bool(t) and all(c in "\t\n\r" or ord(c) >= 0x20 and c != "\x7f" for c in t)


def strings_to_move(segs, moved_refs, staying_refs, staying_loads=()):
    """[address, length, segment] of each string that may move (its NUL included; or the part of it before the
    end that what stays uses), from the primary's data segments and the constants of the functions that move and of
    everything that stays.

    The data is cut into regions, each from an address something names (a constant of the code, or an aligned
    word of the data: wasm32 keeps pointers aligned, and nothing here is packed) to the next. What stays can reach
    a region before the labs' code is in when one of its constants, or a word of a region it can reach, points
    there. A pointer into a string reaches the rest of that string: wasm-ld keeps "play" as the end of "pg_play".
    Any other pointer may be an object's base with offsets either way: it reaches MARGIN bytes on (base+offset
    addressing), the pointer before it (a vtable's typeinfo), and on up to the next string (an array whose later
    elements something else names). A load straight from a constant address reads those bytes only. A string
    moves when something that moves names its first byte and what stays can reach no byte of it: so a table of
    pointers that only the labs' code reads stays where it is, but the strings it points to go."""
    import bisect
    lo = min(a for a, _ in segs)
    hi = max(a + len(d) for a, d in segs)
    image = bytearray(hi - lo)
    for a, d in segs:
        image[a - lo:a - lo + len(d)] = d
    words = [(p, int.from_bytes(image[p - lo:p - lo + 4], "little")) for p in range((lo + 3) & ~3, hi - 3, 4)]
    words = [(p, w) for p, w in words if lo <= w < hi]
    moved_refs = {v for v in moved_refs if lo <= v < hi}
    staying_refs = {v for v in staying_refs if lo - MARGIN <= v < hi}
    staying_loads = {(v, n) for v, n in staying_loads if lo <= v < hi}
    starts = sorted({lo} | moved_refs | {v for v in staying_refs if v >= lo} | {w for _, w in words} |
                    {v for v, _ in staying_loads})
    region = lambda v: bisect.bisect_right(starts, v) - 1  # noqa: E731
    words_in = {}
    for p, w in words:
        words_in.setdefault(region(p), []).append(w)

    def text_end(v):
        """Where the text string that starts at v ends (after its NUL), or None when v starts none."""
        if not lo <= v < hi or (v > lo and image[v - 1 - lo]) or not image[v - lo]:
            return None
        e = image.find(b"\0", v - lo)
        return e + 1 + lo if e >= 0 and is_text(bytes(image[v - lo:e])) else None

    def rest_end(v):
        """Where the text string that v points into ends (after its NUL), or None when v is in none: a pointer into
        a string is a shorter string (the link stores "play" as the end of "pg_play") or that string with an offset."""
        if not lo <= v < hi or not image[v - lo]:
            return None
        s = image.rfind(b"\0", 0, v - lo) + 1
        e = image.find(b"\0", v - lo)
        return e + 1 + lo if e >= 0 and is_text(bytes(image[s:e])) else None

    reachable, seen = set(), set()
    todo = sorted(staying_refs) + ([] if lo in moved_refs else [lo])  # the start of the data, if nothing names it
    for v, n in staying_loads:  # those bytes and no others
        for r in range(region(v), region(min(v + n, hi) - 1) + 1):
            if r not in reachable:
                reachable.add(r)
                todo += words_in.get(r, ())
    while todo:
        v = todo.pop()
        if v in seen:
            continue
        seen.add(v)
        e = rest_end(v)
        last = region(min(e - 1 if e else v + MARGIN, hi - 1))
        if not e:
            while last + 1 < len(starts) and not text_end(starts[last + 1]):
                last += 1
            if v - 4 >= lo:
                todo.append(int.from_bytes(image[v - 4 - lo:v - lo], "little"))
        for r in range(region(max(v, lo)), last + 1):
            if r not in reachable:
                reachable.add(r)
                todo += words_in.get(r, ())
    named = moved_refs | {w for r, ws in words_in.items() if r not in reachable for w in ws}
    out = []
    for k, (a, d) in enumerate(segs):
        s = 0
        while s < len(d):
            e = d.find(b"\0", s)
            end = e + 1 if e >= 0 else len(d)  # a segment may end before its last NUL: memory is zero there
            if a + s in named and text_end(a + s) and (e >= 0 or not any(b <= a + end < b + len(x) for b, x in segs)):
                # What stays may use the string's end as a shorter one: then only the part before that goes.
                stop = next((max(starts[r], a + s) for r in range(region(a + s), region(a + end - 1) + 1)
                             if r in reachable), a + end)
                if stop > a + s:
                    out.append([a + s, stop - a - s, k])
            s = end
    return out


def move_data(primary, secondary, moved_refs, staying_refs, staying_loads, verbose=False):
    """Moves the strings only moved code uses from primary's data to secondary's; returns how many bytes."""
    with open(primary, "rb") as f:
        psecs = sections(f.read())
    with open(secondary, "rb") as f:
        ssecs = sections(f.read())
    data = [p for p in psecs if p[0] == 11]
    segs = data_segments(data[0][1]) if data else None
    if not segs or any(k in (11, 12) for k, _ in ssecs):
        return 0  # data of a kind this does not know: everything stays where it is
    runs = []  # adjacent strings of one segment as one piece
    for a, n, k in strings_to_move(segs, moved_refs, staying_refs, staying_loads):
        if runs and runs[-1][0] + runs[-1][1] == a and runs[-1][2] == k:
            runs[-1][1] += n
        else:
            runs.append([a, n, k])
    if verbose:
        for a, n, k in runs:
            print(f"data: {a}+{n}: {segs[k][1][a - segs[k][0]:a - segs[k][0] + n][:100]!r}")
    kept = []
    for k, (a, d) in enumerate(segs):
        d = bytearray(d)
        start = 0  # what of d is still to be written as a segment of its own
        for r, n, rk in runs:
            if rk == k:
                i = r - a
                d[i:i + n] = bytes(n)
                # A cut costs a segment's header (about 8 bytes): a short string inside a segment is zeroed only.
                if n >= 8 or i == start or i + n == len(d):
                    if i > start:
                        kept.append([a + start, bytes(d[start:i])])
                    start = i + n
        if start < len(d):
            kept.append([a + start, bytes(d[start:])])
    moved = [[a, segs[k][1][a - segs[k][0]:a - segs[k][0] + n]] for a, n, k in runs]
    for p in psecs:
        if p[0] == 11:
            p[1] = data_payload(kept)
        elif p[0] == 12:  # the data count section, for memory.init and data.drop: the count changed
            p[1] = uleb_bytes(len(kept))
    code = max(i for i, (k, _) in enumerate(ssecs) if k == 10)
    ssecs.insert(code + 1, [11, data_payload(moved)])
    with open(primary, "wb") as f:
        f.write(join_sections(psecs))
    with open(secondary, "wb") as f:
        f.write(join_sections(ssecs))
    for m in (primary, secondary):  # binaryen reads and validates both, or the build stops here
        run("wasm-opt", m, FEATURES, "-o", os.devnull)
    return sum(n for _, n, _ in runs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("wasm")
    ap.add_argument("site")
    ap.add_argument("--lab-sources", nargs="+", required=True, help="the labs' sources, relative to the project")
    ap.add_argument("--entries", nargs="+", required=True, help="qualified names the page calls once the labs' code is in")
    ap.add_argument("--objects", nargs="+", required=True, help="every object of the link (CMake's TARGET_OBJECTS)")
    ap.add_argument("--classes", nargs="*", default=[],
                    help="qualified class names whose objects only the labs' code makes: their virtual functions may go")
    a = ap.parse_args()
    a.objects = [o for arg in a.objects for o in arg.split(";") if o]  # CMake's generator expressions give lists
    is_lab = lambda o: any(o.replace(os.sep, "/").endswith("/" + s + ".o") or o.endswith("/" + s + ".obj")  # noqa: E731
                           for s in a.lab_sources)
    labs = [o for o in a.objects if is_lab(o)]
    missing = [s for s in a.lab_sources if not any(o.replace(os.sep, "/").endswith("/" + s + ".o") for o in labs)]
    if missing:
        sys.exit("split-labs: no object for " + ", ".join(missing))

    with tempfile.TemporaryDirectory() as tmp:
        stripped = os.path.join(tmp, "stripped.wasm")
        # The same module without names; binaryen then names function k "$k" (imports: "$fimport$k").
        run("wasm-opt", a.wasm, FEATURES, "--strip-debug", "-o", stripped)
        fmap = run("wasm-opt", a.wasm, FEATURES, "--print-function-map")
        names = {}
        for line in fmap.splitlines():
            i, _, n = line.partition(":")
            if i.isdigit():
                names[int(i)] = unescape(n)
        wat = run("wasm-dis", stripped, FEATURES)
        imports = len(re.findall(r"^ \(import \"[^\"]*\" \"[^\"]*\" \(func ", wat, re.M))
        # The functions whose address the code takes (function pointers, vtables): the table's entries.
        in_table = set()
        for line in wat.splitlines():
            if line.startswith(" (elem "):
                in_table |= {int(k) for k in re.findall(r"\$(\d+)\b", line)}
        # Each defined function's direct calls, and the constants that may be addresses (see strings_to_move),
        # each function's and those outside any function (globals' values, the table's offsets).
        # A load straight from a constant address, "(f64.load (i32.const A))" on three lines, reads those bytes
        # and no others: kept apart (loads[k]: address and width), not taken for an object's base.
        calls, consts, loads, other_consts = {}, {}, {}, set()
        current = None
        lines = wat.splitlines()
        skip = 0
        for i, line in enumerate(lines):
            m = re.match(r"^ \(func \$(\d+)", line)
            if m:
                current = int(m.group(1))
                calls[current], consts[current], loads[current] = set(), set(), set()
            elif line.startswith(" (") and not line.startswith(" (func"):
                current = None
                if not line.startswith(" (data "):  # a segment's own address is no reference to it
                    other_consts.update(constants(line))
            elif current is not None:
                for c in re.findall(r"\((?:return_)?call \$(\d+)", line):
                    calls[current].add(int(c))
                load = LOAD.match(line)
                at = i + 2 < len(lines) and re.match(r"^ *\(i32\.const (-?\d+)\)$", lines[i + 1])
                if load and at and re.match(r"^ *\)$", lines[i + 2]):
                    kind, bits, offset = load.groups()
                    width = int(bits) // 8 if bits else {"i32": 4, "f32": 4, "i64": 8, "f64": 8, "v128": 16}[kind]
                    loads[current].add(((int(at.group(1)) + int(offset or 0)) & 0xFFFFFFFF, width))
                    skip = 2
                if skip:
                    skip -= 1
                    continue
                consts[current].update(constants(line))
        # LTO marks a local function whose name another file's local function shares with " (.N)": the same
        # name to llvm-nm, so such names cannot say whose they are (labs.h: a later lab names its functions).
        name_of = lambda k: re.sub(r" \(\.\d+\)$", "", names.get(imports + k, ""))  # noqa: E731

        lab_syms = defined_symbols(labs) - defined_symbols([o for o in a.objects if not is_lab(o)])
        entries = a.entries
        # A function's qualified name without its parameters; a file's own (anonymous namespace) is left out.
        base = lambda n: n.replace("(anonymous namespace)::", "").split("(")[0]  # noqa: E731
        is_entry = lambda k: base(name_of(k)) in entries  # noqa: E731
        # A member function's class, template arguments left out: "kobai::Affine<float>::forward" -> "kobai::Affine".
        class_of = lambda k: re.sub(r"<[^<>]*>", "", re.sub(r"<[^<>]*>", "", base(name_of(k)))).rpartition("::")[0]  # noqa: E731
        lab_class = lambda k: class_of(k) in a.classes  # noqa: E731
        found = [e for e in entries if not any(base(name_of(k)) == e for k in calls)]
        if found:
            sys.exit("split-labs: no function named " + ", ".join(found) + " in " + a.wasm +
                     " (renamed, inlined into its caller, or merged with an identical function such as a lab's moving() that returns false: leave it out)")
        # What the page may run before the labs' code is in: what its exports (main, the JS API) and the table (any
        # function pointer, called from anywhere at any time: a settings table's getters are called by the link
        # before any lab opens) reach by direct calls. The entries, and the virtual functions of classes that only
        # the labs' code makes objects of (no object, no call), are not ways in: the page runs them only once
        # platform::lab_code() has said 1. Everything else goes, the library code only the labs use too.
        exports = {int(k) for k in re.findall(r'^ \(export "[^"]*" \(func \$(\d+)\)\)', wat, re.M)}
        exports |= {int(k) for k in re.findall(r"^ \(start \$(\d+)\)", wat, re.M)}
        roots = exports | {k for k in in_table if not is_entry(k) and not lab_class(k)}
        kept_by = {k: None for k in roots}
        todo = [k for k in roots if k in calls]
        while todo:
            k = todo.pop()
            for c in calls.get(k, ()):
                if c in calls and c not in kept_by and not is_entry(c):
                    kept_by[c] = k
                    todo.append(c)
        split = {k for k in calls if k not in kept_by}
        named = len({k for k in split if name_of(k) in lab_syms})
        kept_by = {k: v for k, v in kept_by.items() if name_of(k) in lab_syms}  # what is worth a look: the labs' own
        if os.environ.get("KOBAI_SPLIT_VERBOSE"):
            for c, k in sorted(kept_by.items()):
                print(f"kept: {name_of(c)[:110]}  <-  {'(the table)' if k is None else name_of(k)[:110]}")
        funcs = os.path.join(tmp, "split.txt")
        with open(funcs, "w") as f:
            f.write("".join(f"{k}\n" for k in sorted(split)))
        primary = os.path.join(a.site, "kobai.wasm")
        secondary = os.path.join(a.site, "kobai.labs.wasm")
        run("wasm-split", stripped, FEATURES, "--split-funcs", "@" + funcs, "-o1", primary, "-o2", secondary,
            "--export-prefix=%", "--import-namespace=primary", "--placeholder-namespace=placeholder",
            "--placeholdermap")
        pmap = primary + ".placeholders"  # where wasm-split writes it: placeholder index, then function
        placeholders = {}
        with open(pmap) as f:
            for line in f:
                i, _, n = line.strip().partition(":")
                if i.isdigit() and n.isdigit():
                    placeholders[i] = base(name_of(int(n)))
        os.remove(pmap)
        with open(os.path.join(a.site, "kobai.labs.names.json"), "w") as f:
            json.dump(placeholders, f, indent=0, sort_keys=True)
        moved_data = move_data(primary, secondary,
                               {v for k in split for v in consts[k]} | {v for k in split for v, _ in loads[k]},
                               other_consts.union(*(consts[k] for k in calls if k not in split)),
                               set().union(*(loads[k] for k in calls if k not in split)),
                               verbose=bool(os.environ.get("KOBAI_SPLIT_VERBOSE")))
        sizes = {f: os.path.getsize(os.path.join(a.site, f))
                 for f in ("kobai.wasm", "kobai.data", "kobai.labs.wasm", "kobai.labs.fonts", "kobai.questions.json")}
        with open(os.path.join(a.site, "kobai.js"), "a") as f:
            f.write("\nvar kobaiBytes=" + json.dumps(sizes, separators=(",", ":")) + ";\n")
        entry_names = sorted({base(name_of(k)) for k in split if is_entry(k)})
        print(f"split-labs: {len(split)} of {len(calls)} functions ({named} defined only by the labs) and {moved_data} bytes "
              f"of strings to kobai.labs.wasm "
              f"({os.path.getsize(secondary)} bytes; kobai.wasm {os.path.getsize(primary)} bytes); "
              f"{len(placeholders)} placeholders; entries: {', '.join(entry_names)}")


if __name__ == "__main__":
    main()
