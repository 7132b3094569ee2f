"""Cuts the page's fonts at build time from Debian's font packages: exactly the characters the page can show,
read from the files it is built from (CMakeLists.txt passes them: the sources compiled into the page, the headers
beside them, the lessons), plus kana in full and the symbols the page writes by itself. DejaVu Sans draws Latin
and the math (∂ × · σ ᵀ ² Σ η ←); IPAexGothic draws Japanese, and each draws what the other lacks. A character
that neither font has would be drawn as '?': the build stops there and says in which file and line it is.

    /usr/bin/python3 make-fonts.py OUT_DIR SOURCE_FILE...
"""
import logging
import sys
from pathlib import Path

from fontTools import subset

logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # "FFTM NOT subset" is expected

LATIN = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
JAPANESE = "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"
JA_PUNCTUATION = "、。「」『』（）：・！？〜％＋－＝／　，．"  # full-width: IPAexGothic's, never DejaVu's

out = Path(sys.argv[1])
sources = sys.argv[2:]

# Where each character was first met, for the message if no font has it.
where = {}
always = "make-fonts.py (characters the page always keeps)"
for c in map(chr, range(0x20, 0x7F)):
    where[c] = always
for c in "∂×·σᵀ²³Σηε←→−÷≤≥½⁻ˣ…∞√≈≠±°¹ⁿ▶◀■●○✓✗ー" + JA_PUNCTUATION:  # numbers and marks the page builds itself
    where.setdefault(c, always)
for c in map(chr, [*range(0x3041, 0x3097), *range(0x30A1, 0x30FB)]):  # hiragana, katakana
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
chars = "".join(sorted(where))


def load(path):
    opts = subset.Options()
    opts.layout_features = []
    opts.hinting = False
    opts.notdef_outline = True
    opts.name_IDs = [1, 2]
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


def cut(font, opts, name, text):
    sub = subset.Subsetter(opts)
    sub.populate(text="".join(text))
    sub.subset(font)
    subset.save_font(font, str(out / name), opts)


out.mkdir(parents=True, exist_ok=True)
(out / "chars.txt").write_text(chars, encoding="utf-8")  # the page builds its glyph ranges from exactly these
cut(latin, latin_opts, "latin.ttf", latin_text)
cut(ja, ja_opts, "ja.ttf", ja_text)
print(f"fonts: {len(chars)} characters from {len(sources)} files;",
      ", ".join(f"{p.name} {p.stat().st_size // 1024} KB" for p in sorted(out.glob("*.ttf"))))
