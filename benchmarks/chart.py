"""A line chart with logarithmic axes, written as plain SVG (no plotting library).

Used by ``benchmarks/scaling.py`` for docs/performance.rst. The chart has a
white background so that it reads in dark themes too, a legend in the top
left corner giving each line's first and last value, and a note under the
axes saying where the figures come from.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final
from xml.sax.saxutils import escape

WIDTH: Final = 760
HEIGHT: Final = 480
#: The plot area: left, top, right, bottom.
LEFT, TOP, RIGHT, BOTTOM = 78, 48, 740, 388
FONT: Final = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"'


@dataclass(frozen=True)
class Series:
    """One line: its name, its (x, y) points with y in milliseconds, its colour, whether it is dashed."""

    name: str
    points: Sequence[tuple[float, float]]
    colour: str
    dashed: bool = False


def line_chart(series: Sequence[Series], *, x_title: str, y_title: str, note: str, title: str) -> str:
    """The SVG text of *series* on log-log axes."""
    xs = [x for line in series for x, _ in line.points]
    ys = [y for line in series for _, y in line.points]
    x_scale = _LogScale(min(xs), max(xs), LEFT + 20, RIGHT - 20)
    y_scale = _LogScale(_nice_below(min(ys)), _nice_above(max(ys)), BOTTOM, TOP)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" '
        f'height="{HEIGHT}" role="img" {FONT} font-size="13">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        *_grid(sorted(set(xs)), x_scale, y_scale),
        *_axis_titles(x_title, y_title, note),
        *(_line(line, x_scale, y_scale) for line in series),
        *_legend(series),
        "</svg>",
    ]
    return "\n".join(parts) + "\n"


class _LogScale:
    """Maps values between *low* and *high* to positions between *start* and *end*, logarithmically."""

    def __init__(self, low: float, high: float, start: float, end: float) -> None:
        self.low, self.high = math.log10(low), math.log10(max(high, low * 10))
        self.start, self.end = start, end

    def __call__(self, value: float) -> float:
        share = (math.log10(value) - self.low) / (self.high - self.low)
        return round(self.start + share * (self.end - self.start), 1)

    def steps(self) -> Iterable[float]:
        """Round values (1, 2 and 5 times a power of ten) within the scale."""
        for power in range(math.floor(self.low), math.ceil(self.high) + 1):
            for step in (1, 2, 5):
                value = step * 10.0**power
                if self.low - 1e-9 <= math.log10(value) <= self.high + 1e-9:
                    yield value


def _nice_below(value: float) -> float:
    return max(step for step in _steps_around(value) if step <= value * 0.9)


def _nice_above(value: float) -> float:
    return min(step for step in _steps_around(value) if step >= value * 1.1)


def _steps_around(value: float) -> list[float]:
    power = math.floor(math.log10(value))
    return [step * 10.0**p for p in (power - 1, power, power + 1) for step in (1, 2, 5)]


def _milliseconds(value: float) -> str:
    return f"{value / 1000:.1f}".removesuffix(".0") + " s" if value >= 1000 else f"{value:.0f} ms"


def _grid(x_values: Sequence[float], x_scale: _LogScale, y_scale: _LogScale) -> list[str]:
    parts = ['<g stroke="#e5e7eb" stroke-width="1">']
    parts += [f'<line x1="{x_scale(x)}" y1="{TOP}" x2="{x_scale(x)}" y2="{BOTTOM}"/>' for x in x_values]
    parts += [f'<line x1="{LEFT}" y1="{y_scale(y)}" x2="{RIGHT}" y2="{y_scale(y)}"/>' for y in y_scale.steps()]
    parts.append("</g>")
    parts.append(
        f'<rect x="{LEFT}" y="{TOP}" width="{RIGHT - LEFT}" height="{BOTTOM - TOP}" fill="none" stroke="#9ca3af"/>'
    )
    parts += [
        f'<text x="{x_scale(x)}" y="{BOTTOM + 20}" text-anchor="middle" fill="#374151">{x:g}</text>' for x in x_values
    ]
    parts += [
        f'<text x="{LEFT - 8}" y="{y_scale(y) + 4}" text-anchor="end" fill="#374151">{_milliseconds(y)}</text>'
        for y in y_scale.steps()
    ]
    return parts


def _axis_titles(x_title: str, y_title: str, note: str) -> list[str]:
    middle = (TOP + BOTTOM) / 2
    return [
        f'<text x="{(LEFT + RIGHT) / 2}" y="{BOTTOM + 44}" text-anchor="middle" fill="#111827">'
        f"{escape(x_title)}</text>",
        f'<text x="18" y="{middle}" text-anchor="middle" fill="#111827" '
        f'transform="rotate(-90 18 {middle})">{escape(y_title)}</text>',
        *(
            f'<text x="{LEFT}" y="{HEIGHT - 26 + 14 * number}" font-size="11" fill="#6b7280">{escape(line)}</text>'
            for number, line in enumerate(note.split("; ", 1))
        ),
    ]


def _line(line: Series, x_scale: _LogScale, y_scale: _LogScale) -> str:
    points = " ".join(f"{x_scale(x)},{y_scale(y)}" for x, y in line.points)
    dash = ' stroke-dasharray="6 4"' if line.dashed else ""
    width = 2 if line.dashed else 3
    dots = "".join(
        f'<circle cx="{x_scale(x)}" cy="{y_scale(y)}" r="{3 if line.dashed else 4}" fill="{line.colour}"/>'
        for x, y in line.points
    )
    return (
        f'<g><polyline points="{points}" fill="none" stroke="{line.colour}" stroke-width="{width}"{dash} '
        f'stroke-linejoin="round"/>{dots}</g>'
    )


def _legend(series: Sequence[Series]) -> list[str]:
    texts = []
    for line in series:
        (first_x, first_y), (last_x, last_y) = line.points[0], line.points[-1]
        texts.append(f"{_milliseconds(first_y)} at {first_x:g}, {_milliseconds(last_y)} at {last_x:g}")
    # About 6.4 pixels a character at this size: wide enough for the longest entry.
    width = 60 + 6.4 * max(len(line.name) + 2 + len(values) for line, values in zip(series, texts, strict=True))
    parts = [
        f'<rect x="{LEFT + 12}" y="{TOP + 12}" width="{width}" height="{22 * len(series) + 12}" fill="#ffffff" '
        'fill-opacity="0.9" stroke="#d1d5db"/>'
    ]
    for number, (line, values) in enumerate(zip(series, texts, strict=True)):
        y = TOP + 30 + 22 * number
        dash = ' stroke-dasharray="6 4"' if line.dashed else ""
        parts += [
            f'<line x1="{LEFT + 22}" y1="{y}" x2="{LEFT + 50}" y2="{y}" stroke="{line.colour}" stroke-width="3"'
            f"{dash}/>",
            f'<text x="{LEFT + 58}" y="{y + 4}" fill="#111827">{escape(line.name)}'
            f'<tspan fill="#4b5563">: {values}</tspan></text>',
        ]
    return parts
