"""Where a booklet's files are: its sources (data/, layouts/, fonts/) and what a build writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from booklet.editions import Edition

#: The project's own folders: the package sits beside layouts/ and fonts/.
ROOT = Path(__file__).resolve().parent.parent
DATA_FILE = "booklet.yaml"
#: The cover rendered for sharing, beside the PDFs (editions.Edition.share_image).
SHARE_IMAGE = "booklet-cover.png"


@dataclass
class Project:
    """Where the sources are: data/ (the content), layouts/ and fonts/ (the design)."""

    data: Path
    root: Path = ROOT
    layouts: Path = field(init=False)
    fonts: Path = field(init=False)

    def __post_init__(self) -> None:
        self.data = Path(self.data)
        self.layouts = self.root / "layouts"
        self.fonts = self.root / "fonts"

    @property
    def data_file(self) -> Path:
        return self.data / DATA_FILE


def pdf_path(out_dir: Path, edition: Edition) -> Path:
    """Where a build into ``out_dir`` writes ``edition``: its pdf_name there."""
    return Path(out_dir) / edition.pdf_name


def picture_cache(out_dir: Path) -> Path:
    """Where the pictures prepared for a build into ``out_dir`` are kept."""
    return Path(out_dir).absolute() / "cache" / "images"
