"""Cuts the page's fonts at build time from Debian's font packages: exactly the characters the page can show
(its sources, lessons and messages; kana in full). DejaVu Sans draws Latin and the math (∂ × · σ ᵀ ² Σ η ←); IPAexGothic draws Japanese.

    /usr/bin/python3 make-fonts.py OUT_DIR SOURCE_FILE...
"""
import logging
import sys
from pathlib import Path

from fontTools import subset

logging.getLogger("fontTools.subset").setLevel(logging.ERROR)  # "FFTM NOT subset" is expected

LATIN = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
JAPANESE = "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"

out = Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
text = set(chr(c) for c in range(0x20, 0x7F))
text |= set("∂×·σᵀ²³Σηε←→−÷≤≥½⁻ˣ…∞√≈≠±°¹ⁿ▶◀■●○✓✗" + "ー")
text |= set(chr(c) for c in range(0x3041, 0x3097))  # hiragana
text |= set(chr(c) for c in range(0x30A1, 0x30FB))  # katakana
text |= set("、。「」『』（）：・！？〜％＋－＝／　，．")
for f in sys.argv[2:]:
    text |= set(Path(f).read_text(encoding="utf-8"))
text = {c for c in text if c.isprintable() or c == " "}
chars = "".join(sorted(text))


def cut(font, name, keep):
    opts = subset.Options()
    opts.layout_features = []
    opts.hinting = False
    opts.notdef_outline = True
    opts.name_IDs = [1, 2]
    f = subset.load_font(font, opts)
    sub = subset.Subsetter(opts)
    sub.populate(text="".join(c for c in chars if keep(c)))
    sub.subset(f)
    subset.save_font(f, str(out / name), opts)


(out / "chars.txt").write_text(chars, encoding="utf-8")  # the page builds its glyph ranges from exactly these
cut(LATIN, "latin.ttf", lambda c: ord(c) < 0x2E80 and c not in "、。「」『』（）：・！？〜％＋－＝／　，．")
cut(JAPANESE, "ja.ttf", lambda c: ord(c) >= 0x2E80 or c in "ー")
print("fonts:", len(chars), "characters;", ", ".join(f"{p.name} {p.stat().st_size // 1024} KB" for p in sorted(out.glob("*.ttf"))))
