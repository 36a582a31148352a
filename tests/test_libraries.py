"""WeasyPrint's C libraries are found from the loader's cache as the standard library would find them."""

from __future__ import annotations

import ctypes.util
import re
import sys
from pathlib import Path

import pytest
import weasyprint.text.ffi

from booklet import libraries

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the lookup is Linux's")


def _weasyprint_names() -> list[str]:
    """Every name WeasyPrint tries for its libraries, read from its own source."""
    source = Path(weasyprint.text.ffi.__file__).read_text(encoding="utf-8")
    calls = re.findall(r"_dlopen\(\s*ffi,(.*?)\)", source, re.DOTALL)
    names = [name for call in calls for name in re.findall(r"'([^']+)'", call)]
    assert len(names) > 20, "WeasyPrint's _dlopen calls are no longer where this test reads them"
    return names


@pytest.mark.parametrize("name", _weasyprint_names())
def test_the_same_answer_as_the_standard_library(name: str) -> None:
    assert libraries.find_library(name) == ctypes.util.find_library(name)


def test_a_library_only_in_ld_library_path_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "libbooklet-probe-1.0.so.0").write_bytes(b"")
    monkeypatch.setenv("LD_LIBRARY_PATH", f"/nonexistent:{tmp_path}")
    assert libraries.find_library("booklet-probe-1.0") == "libbooklet-probe-1.0.so.0"
    assert libraries.find_library("booklet-probe-2.0") is None


def test_the_lookup_is_put_back_afterwards() -> None:
    original = ctypes.util.find_library
    with libraries.found_once():
        assert ctypes.util.find_library is libraries.find_library
    assert ctypes.util.find_library is original
    with pytest.raises(KeyError), libraries.found_once():
        raise KeyError
    assert ctypes.util.find_library is original
