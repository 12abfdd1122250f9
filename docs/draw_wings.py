#!/usr/bin/env python3
"""Draw the wings of the package, as the import-linter contract in setup.cfg lays them out, as SVG.

``python docs/draw_wings.py`` rewrites ``docs/_static/wings.svg`` (shown in
docs/architecture.rst). One row per layer of the contract, top to bottom; the
names of a row are independent of each other. A subpackage is drawn filled, a
single module outlined. tests/unit/test_architecture.py checks that the
committed drawing is what this script draws now. Standard library only.
"""

from __future__ import annotations

import configparser
import sys
from pathlib import Path
from typing import Final
from xml.sax.saxutils import escape

REPOSITORY: Final = Path(__file__).resolve().parent.parent
OUTPUT: Final = REPOSITORY / "docs" / "_static" / "wings.svg"
CONTRACT: Final = "importlinter:contract:wings"

WIDTH: Final = 760
ROW: Final = 30
GAP: Final = 10
TOP: Final = 56
#: About how wide one character of a name is, in pixels, at the names' font size.
CHARACTER: Final = 8.4
FONT: Final = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"'
MONO: Final = 'font-family="ui-monospace, SFMono-Regular, Menlo, Consolas, monospace"'
PACKAGE_FILL, MODULE_FILL, STROKE = "#dbeafe", "#ffffff", "#1d4ed8"


def read_layers(setup_cfg: Path) -> list[list[str]]:
    """The contract's layers, top first, each as its independent names."""
    parser = configparser.ConfigParser()
    parser.read(setup_cfg, encoding="utf-8")
    lines = parser[CONTRACT]["layers"].split("\n")
    return [[name.strip() for name in line.split("|")] for line in lines if line.strip()]


def is_package(name: str) -> bool:
    """Whether *name* is a subpackage of myapp (a folder), not a single module."""
    return (REPOSITORY / "myapp" / name / "__init__.py").is_file()


def draw(layers: list[list[str]], packages: set[str]) -> str:
    """The SVG text of *layers*; the names in *packages* are drawn as subpackages."""
    height = TOP + len(layers) * (ROW + GAP) + 40
    bottom = TOP + len(layers) * (ROW + GAP) - GAP
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
        f'height="{height}" role="img" {FONT} font-size="13">',
        "<title>The wings of myapp: each row imports only from the rows below it</title>",
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        *_legend(),
        *_arrow(bottom),
    ]
    for number, names in enumerate(layers):
        parts += _row(names, TOP + number * (ROW + GAP), packages)
    parts.append(
        f'<text x="{WIDTH / 2 + 30}" y="{height - 14}" text-anchor="middle" font-size="11" fill="#6b7280">'
        "drawn from [importlinter:contract:wings] in setup.cfg by python docs/draw_wings.py</text>"
    )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _row(names: list[str], y: int, packages: set[str]) -> list[str]:
    widths = [max(96.0, len(name) * CHARACTER + 28) for name in names]
    total = sum(widths) + 16 * (len(names) - 1)
    x = (WIDTH + 60 - total) / 2
    parts = []
    for name, width in zip(names, widths, strict=True):
        fill = PACKAGE_FILL if name in packages else MODULE_FILL
        parts += [
            f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{ROW}" rx="6" fill="{fill}" '
            f'stroke="{STROKE}" stroke-width="1.5"/>',
            f'<text x="{x + width / 2:.1f}" y="{y + ROW / 2 + 5}" text-anchor="middle" {MONO} '
            f'fill="#111827">{escape(name)}</text>',
        ]
        x += width + 16
    return parts


def _arrow(bottom: int) -> list[str]:
    middle = (TOP + bottom) / 2
    return [
        f'<line x1="48" y1="{TOP}" x2="48" y2="{bottom - 12}" stroke="#6b7280" stroke-width="3"/>',
        f'<polygon points="40,{bottom - 14} 56,{bottom - 14} 48,{bottom}" fill="#6b7280"/>',
        f'<text x="30" y="{middle}" text-anchor="middle" fill="#374151" transform="rotate(-90 30 {middle})">'
        "imports point down: a row imports only from rows below it</text>",
    ]


def _legend() -> list[str]:
    return [
        f'<rect x="80" y="16" width="22" height="16" rx="4" fill="{PACKAGE_FILL}" stroke="{STROKE}"/>',
        '<text x="110" y="29" fill="#374151">a subpackage</text>',
        f'<rect x="230" y="16" width="22" height="16" rx="4" fill="{MODULE_FILL}" stroke="{STROKE}"/>',
        '<text x="260" y="29" fill="#374151">a module</text>',
        '<text x="360" y="29" fill="#374151">names side by side do not import each other</text>',
    ]


def current_drawing() -> str:
    """What the drawing of the contract as it stands looks like."""
    layers = read_layers(REPOSITORY / "setup.cfg")
    return draw(layers, {name for names in layers for name in names if is_package(name)})


def main() -> int:
    """Write the drawing; return the exit status."""
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(current_drawing(), encoding="utf-8")
    print(f"wrote {OUTPUT.relative_to(REPOSITORY)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
