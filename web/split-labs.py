#!/usr/bin/python3
"""Cuts the linked page in two: the code the first frame needs (kobai.wasm) and the labs' code (kobai.labs.wasm),
fetched when a lab is first opened (boot.js: Module.labCode).

  split-labs.py NAMED_WASM SITE_DIR --lab-sources SRC... --entries NAME... --objects OBJ...

NAMED_WASM is the link's output with its function names (--profiling-funcs). A function stays in kobai.wasm when
the page can reach it before the labs' code is in: from an export or the table, by direct calls, never through the
entries (the few functions the page calls only once platform::lab_code() has said 1). Everything else goes to the
labs' file: the labs' own code (their objects are named by --lab-sources; llvm-nm reads LTO bitcode too) and the
library code (ImGui's, Eigen's) that only they use.
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
        # Each defined function's direct calls.
        calls = {}
        current = None
        for line in wat.splitlines():
            m = re.match(r"^ \(func \$(\d+)", line)
            if m:
                current = int(m.group(1))
                calls[current] = set()
            elif line.startswith(" (") and not line.startswith(" (func"):
                current = None
            elif current is not None:
                for c in re.findall(r"\((?:return_)?call \$(\d+)", line):
                    calls[current].add(int(c))
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
        sizes = {f: os.path.getsize(os.path.join(a.site, f)) for f in ("kobai.wasm", "kobai.data", "kobai.labs.wasm", "kobai.labs.fonts")}
        with open(os.path.join(a.site, "kobai.js"), "a") as f:
            f.write("\nvar kobaiBytes=" + json.dumps(sizes, separators=(",", ":")) + ";\n")
        entry_names = sorted({base(name_of(k)) for k in split if is_entry(k)})
        print(f"split-labs: {len(split)} of {len(calls)} functions to kobai.labs.wasm ({named} defined only by the labs) "
              f"({os.path.getsize(secondary)} bytes; kobai.wasm {os.path.getsize(primary)} bytes); "
              f"{len(placeholders)} placeholders; entries: {', '.join(entry_names)}")


if __name__ == "__main__":
    main()
