"""Cuts the page's fonts at build time from Debian's font packages: exactly the characters the page can show,
read from the files it is built from (CMakeLists.txt passes them: the sources compiled into the page, the headers
beside them, the lessons), plus the symbols the page writes by itself. DejaVu Sans draws Latin
and the math (∂ × · σ ᵀ ² Σ η ←); IPAexGothic draws Japanese, and each draws what the other lacks. A character
that neither font has would be drawn as '?': the build stops there and says in which file and line it is.

    /usr/bin/python3 make-fonts.py FONTS SOURCE_FILE... [--later LABS_FONTS SOURCE_FILE...]

FONTS (the site's kobai.data) is one file: the list of its characters, then DejaVu's subset, then IPAexGothic's,
each as a little-endian 32-bit length and its bytes. boot.js fetches it beside kobai.wasm and hands it to the
page before its first frame (no Emscripten file system: its code would weigh more than the fonts' own packing).
The characters met only in the sources after --later (the code of the labs that arrive when first opened) are cut
into LABS_FONTS instead, a file of the same form the page fetches with that code. So a lab's words do not weigh
on the first frame.
"""
import io
import struct
import logging
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import scaleUpem

logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # "FFTM NOT subset" is expected

LATIN = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
JAPANESE = "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"
JA_PUNCTUATION = "、。「」『』（）：・！？〜％＋－＝／　，．"  # full-width: IPAexGothic's, never DejaVu's

out = Path(sys.argv[1])  # the first frame's fonts
args = sys.argv[2:]
later_out, later = None, []
if "--later" in args:
    i = args.index("--later")
    later_out, later = Path(args[i + 1]), args[i + 2:]
    args = args[:i]
sources = [s for s in args if s not in later] + later  # the first frame's sources first: where[] says who met a character first

# Where each character was first met, for the message if no font has it.
where = {}
always = "make-fonts.py (characters the page always keeps)"
for c in map(chr, range(0x20, 0x7F)):
    where[c] = always
for c in "∂×·σᵀ²³Σηε←→−÷≤≥½⁻ˣ…∞√≈≠±°¹ⁿ▶◀■●○✓✗ー" + JA_PUNCTUATION:  # numbers and marks the page builds itself
    where.setdefault(c, always)
for name in sources:
    try:
        text = Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        sys.exit(f"make-fonts.py: cannot read the page's text from {name}: {e}")
    for n, line in enumerate(text.splitlines(), 1):
        for col, c in enumerate(line, 1):
            if c not in where and (c.isprintable() or c == " "):
                where[c] = f"{name}:{n}:{col}"
later_set = set(later)
first_chars = {c for c, w in where.items() if w.split(":")[0] not in later_set}
chars = "".join(sorted(first_chars))
later_chars = "".join(sorted(set(where) - first_chars))


def load(path):
    opts = subset.Options()
    opts.layout_features = []
    opts.hinting = False
    opts.notdef_outline = True
    opts.name_IDs = [1, 2]
    # Tables Dear ImGui's stb_truetype never reads (it uses cmap, head, hhea, hmtx, loca, glyf, maxp): vertical
    # metrics, OpenType layout and the rest are bytes of the first download only.
    opts.drop_tables += ["GDEF", "GPOS", "GSUB", "MATH", "OS/2", "gasp", "name", "vhea", "vmtx"]
    font = subset.load_font(path, opts)
    return font, opts, font.getBestCmap()


latin, latin_opts, latin_cmap = load(LATIN)
ja, ja_opts, ja_cmap = load(JAPANESE)

# Each character goes to the font meant for its script, or to the other one when that one lacks it. ImGui merges
# the two with the same ranges (web/main.cpp), so a glyph cut into neither font would show as '?'.
latin_text, ja_text, missing = [], [], []
for c in where:  # in the order met, so the first missing character reported is the first in the sources
    japanese = ord(c) >= 0x2E80 or c in JA_PUNCTUATION
    order = [(ja_cmap, ja_text), (latin_cmap, latin_text)] if japanese else [(latin_cmap, latin_text), (ja_cmap, ja_text)]
    home = next((text for cmap, text in order if ord(c) in cmap), None)
    if home is None:
        missing.append(c)
    else:
        home.append(c)
if missing:
    for c in missing:
        print(f"{where[c]}: '{c}' (U+{ord(c):04X}) is in neither DejaVu Sans nor IPAexGothic, so the page would draw "
              "it as '?' (the fonts are cut from whole files, comments too): write it another way", file=sys.stderr)
    sys.exit(f"make-fonts.py: {len(missing)} character(s) without a glyph; no fonts written")


# The outlines' grid: 512 units to the em instead of the fonts' 2048. A point moves by at most 1/1024 em, 0.08 px at
# the largest text the page draws (15 px × 4 device pixels × 1.4 presenting): unseen, while the smaller numbers
# cut IPAexGothic's subset by a fifth gzipped (51 → 41 KB), the first frame's largest file.
UNITS_PER_EM = 512


def cut(path, text):
    font, opts, _ = load(path)
    sub = subset.Subsetter(opts)
    sub.populate(text="".join(text))
    sub.subset(font)
    scaleUpem.scale_upem(font, UNITS_PER_EM)
    # scale_upem leaves a composite glyph's box (‖, ⋯, ½, the subscripts: copies of other glyphs) in the old
    # units, and stb_truetype rasterises inside that box: they came out blank. Their boxes, from the parts.
    glyf = font["glyf"]
    for name in glyf.keys():
        if glyf[name].isComposite():
            glyf[name].recalcBounds(glyf)
    b = io.BytesIO()
    subset.save_font(font, b, opts)
    return b.getvalue()


def write(path, chars, keep):
    """The list of characters (the page builds its glyph ranges from exactly these), then the two subsets."""
    parts = [chars.encode("utf-8"), cut(LATIN, [c for c in latin_text if keep(c)]), cut(JAPANESE, [c for c in ja_text if keep(c)])]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"".join(struct.pack("<I", len(p)) + p for p in parts))
    return f"{path.name} {path.stat().st_size // 1024} KB (DejaVu Sans {len(parts[1]) // 1024} KB, IPAexGothic {len(parts[2]) // 1024} KB)"


first = set(chars)
print(f"fonts: {len(chars)} characters from {len(sources) - len(later)} files; " + write(out, chars, lambda c: c in first))
if later_out:
    print(f"fonts for the labs that come later: {len(later_chars)} characters from {len(later)} files, "
          + write(later_out, later_chars, lambda c: c not in first))
