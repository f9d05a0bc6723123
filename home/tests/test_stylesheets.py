"""What the accessibility audit takes for granted about the stylesheets (conftest.AUDIT_WIDTHS):
no colour is set under a width condition, so that colour contrast checked at the desktop's
width holds at the phone's."""

import re
from pathlib import Path

STATIC = Path(__file__).resolve().parents[2] / "static"
COLOUR = re.compile(r"(?<![-\w])(color|background(-color)?|border(-\w+)?-color|opacity|filter)\s*:")


def width_conditioned_blocks(css):
    """The text of every @media block whose condition names a width, nested braces included."""
    for match in re.finditer(r"@media([^{]*)\{", css):
        if "width" not in match.group(1):
            continue
        depth, start = 1, match.end()
        end = start
        while depth:
            depth += {"{": 1, "}": -1}.get(css[end], 0)
            end += 1
        yield match.group(1).strip(), css[start : end - 1]


def test_no_stylesheet_sets_a_colour_for_one_width_only():
    checked = 0
    for sheet in sorted(STATIC.rglob("*.css")):
        for condition, block in width_conditioned_blocks(sheet.read_text()):
            checked += 1
            assert not COLOUR.search(block), f"{sheet.name} @media {condition}: {block.strip()}"
    assert checked >= 2  # catalogue.css's layout and comparison table


def test_the_check_sees_a_colour_set_for_a_width():
    css = "@media (max-width: 40rem) { .a { margin: 0; } .b { color: #777; } }"
    [(condition, block)] = width_conditioned_blocks(css)
    assert condition == "(max-width: 40rem)" and COLOUR.search(block)
