"""Throw-away plugin distributions, written as installed folders or as wheels.

Writing the files directly, instead of running a build backend, takes
milliseconds: a wheel is a zip of the package and its ``.dist-info`` folder.
"""

from __future__ import annotations

import base64
import hashlib
import re
import textwrap
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Distribution:
    """A plugin distribution to build.

    :param name: the distribution name, e.g. ``myapp-good``.
    :param files: path inside the wheel (``good/commands.py``) -> source text (dedented when written).
    :param entry_points: namespace -> {entry-point name: ``module:attr``}.
    :param requires: its ``Requires-Dist`` lines, e.g. ``myapp>=0.1,<1``.
    :param metadata_extra: more ``METADATA`` lines, e.g. ``Project-URL: Bug Tracker, https://...``.

    .. versionadded:: 0.1
    """

    name: str
    files: Mapping[str, str]
    entry_points: Mapping[str, Mapping[str, str]]
    version: str = "1.0"
    summary: str = "a plugin built by the test suite"
    requires: tuple[str, ...] = ()
    metadata_extra: tuple[str, ...] = ()

    @property
    def stem(self) -> str:
        """``name-version`` as wheel and dist-info names spell it."""
        return f"{re.sub(r'[-_.]+', '_', self.name)}-{self.version}"

    def dist_info_files(self) -> dict[str, str]:
        """The ``.dist-info`` folder's files, without RECORD."""
        metadata = [
            "Metadata-Version: 2.1",
            f"Name: {self.name}",
            f"Version: {self.version}",
            f"Summary: {self.summary}",
            *(f"Requires-Dist: {r}" for r in self.requires),
            *self.metadata_extra,
        ]
        sections = [
            f"[{group}]\n" + "".join(f"{n} = {v}\n" for n, v in names.items())
            for group, names in self.entry_points.items()
        ]
        folder = f"{self.stem}.dist-info"
        return {
            f"{folder}/METADATA": "\n".join(metadata) + "\n",
            f"{folder}/WHEEL": f"Wheel-Version: 1.0\nGenerator: {__name__}\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
            f"{folder}/entry_points.txt": "\n".join(sections),
            f"{folder}/top_level.txt": "".join(sorted({p.split("/")[0] + "\n" for p in self.files})),
        }

    def all_files(self) -> dict[str, str]:
        """Package sources and metadata, dedented."""
        sources = {path: textwrap.dedent(text).lstrip() for path, text in self.files.items()}
        return {**sources, **self.dist_info_files()}


def install_into(distribution: Distribution, site_dir: Path) -> Path:
    """Write *distribution* as if pip had installed it into *site_dir*; return its dist-info folder.

    .. versionadded:: 0.1
    """
    for relative, text in distribution.all_files().items():
        target = site_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return site_dir / f"{distribution.stem}.dist-info"


def build_wheel(distribution: Distribution, out_dir: Path) -> Path:
    """Write *distribution* as a ``py3-none-any`` wheel in *out_dir*; return its path.

    .. versionadded:: 0.1
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    wheel = out_dir / f"{distribution.stem}-py3-none-any.whl"
    files = distribution.all_files()
    record_name = f"{distribution.stem}.dist-info/RECORD"
    records = [f"{path},sha256={_digest(text)},{len(text.encode())}" for path, text in files.items()]
    with zipfile.ZipFile(wheel, "w") as archive:
        for path, text in files.items():
            archive.writestr(path, text)
        archive.writestr(record_name, "\n".join([*records, f"{record_name},,"]) + "\n")
    return wheel


def _digest(text: str) -> str:
    raw = hashlib.sha256(text.encode()).digest()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
