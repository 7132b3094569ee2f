#!/usr/bin/env python3
"""The page's font subsets (web/fonts/make-fonts.py's kobai.data and kobai.labs.fonts): every character the page
lists has a glyph, and every glyph's stored box holds its outline. stb_truetype (Dear ImGui's rasteriser) draws
inside the stored box, so a box left in the wrong units draws nothing: ‖, ⋯ and the subscripts were blank when
the 512-unit grid left composite glyphs' boxes in DejaVu's 2048 units.
Run: python3 tests/test_fonts.py build/wasm/site/kobai.data build/wasm/site/kobai.labs.fonts"""
import io
import struct
import sys
import unittest

from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont

FILES = sys.argv[1:]


def parts(path):
    """The character list, then the DejaVu Sans and IPAexGothic subsets: each a little-endian length, then bytes."""
    data, out, i = open(path, "rb").read(), [], 0
    while i < len(data):
        (n,) = struct.unpack("<I", data[i:i + 4])
        out.append(data[i + 4:i + 4 + n])
        i += 4 + n
    return out[0].decode("utf-8"), [TTFont(io.BytesIO(b)) for b in out[1:]]


class Fonts(unittest.TestCase):
    def test_every_listed_character_has_a_glyph(self):
        for path in FILES:
            chars, fonts = parts(path)
            self.assertEqual(len(fonts), 2, path)
            cmaps = [f.getBestCmap() for f in fonts]
            missing = [c for c in chars if c.isprintable() and not any(ord(c) in m for m in cmaps)]
            self.assertEqual(missing, [], f"{path}: characters without a glyph")

    def test_every_glyph_box_holds_its_outline(self):
        checked = composites = 0
        for path in FILES:
            _, fonts = parts(path)
            for font in fonts:
                glyf, glyphs = font["glyf"], font.getGlyphSet()
                for name in set(font.getBestCmap().values()):
                    g = glyf[name]
                    if g.numberOfContours == 0:
                        continue  # a space: no outline, no box
                    pen = BoundsPen(glyphs)
                    glyphs[name].draw(pen)  # components drawn as their glyphs, where they are placed
                    x0, y0, x1, y1 = pen.bounds
                    box = (g.xMin, g.yMin, g.xMax, g.yMax)
                    with self.subTest(path=path, glyph=name):
                        self.assertTrue(box[0] <= x0 + 1 and box[1] <= y0 + 1 and box[2] >= x1 - 1 and box[3] >= y1 - 1,
                                        f"the box {box} does not hold the outline {pen.bounds}")
                        self.assertTrue(x0 - 1 <= box[0] and y0 - 1 <= box[1] and x1 + 1 >= box[2] and y1 + 1 >= box[3],
                                        f"the box {box} is larger than the outline {pen.bounds}")
                    checked += 1
                    composites += g.isComposite()
        self.assertGreater(checked, 500)
        self.assertGreater(composites, 0, "the subsets have composite glyphs (‖, ⋯), the case this guards")


if __name__ == "__main__":
    unittest.main(argv=sys.argv[:1])
