"""A brief being written never destroys the previous one, whatever stops the write.

Reproduces the cases of issue 12: a kill or a full disk while WeasyPrint writes the
PDF left last month's PDF at 0 bytes; a kill between the two files left a new JSON
beside the old PDF. The PDF writer (pydyf) is made to stop half-way through its
output, as an out-of-memory kill or a full disk would.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pydyf
import pytest

from flows.brief.write import write_brief
from flows.outputs import recover_interrupted_writes

from .conftest import MONTH

# In a child process: write the brief of MONTH, with pydyf's writer first writing half
# of the PDF and then doing what argv[3] says: `kill` (SIGKILL to the process group)
# or `render-kill` (killed while the PDF is being laid out, before any byte of it).
CHILD = textwrap.dedent(
    """
    import io, os, signal, sys
    from pathlib import Path
    import pydyf, weasyprint
    from flows.brief.write import write_brief

    how = sys.argv[3]
    real_write = pydyf.PDF.write

    def write_half_then_die(self, output, *args, **kwargs):
        whole = io.BytesIO()
        real_write(self, whole, *args, **kwargs)
        output.write(whole.getvalue()[: len(whole.getvalue()) // 2])
        output.flush()
        os.killpg(os.getpgid(0), signal.SIGKILL)

    def die_while_rendering(self, *args, **kwargs):
        os.killpg(os.getpgid(0), signal.SIGKILL)

    if how == "kill":
        pydyf.PDF.write = write_half_then_die
    else:
        weasyprint.HTML.render = die_while_rendering
    write_brief(Path(sys.argv[1]), sys.argv[4], Path(sys.argv[2]), "en")
    """
)


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture
def warehouse(report_warehouse: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "terrain.duckdb"
    shutil.copyfile(report_warehouse, copy)
    return copy


@pytest.fixture
def previous_brief(warehouse: Path, tmp_path: Path) -> Path:
    """Last month's brief, written; then the warehouse changes, so the next brief differs."""
    out = tmp_path / "briefs"
    write_brief(warehouse, MONTH, out, "en")
    with duckdb.connect(str(warehouse)) as con:
        con.execute("update report.rpt_brief__offers set revenue = revenue + 1000")
    return out


@pytest.mark.parametrize("how", ["kill", "render-kill"])
def test_a_kill_while_writing_leaves_the_previous_pair(
    warehouse: Path, previous_brief: Path, how: str
) -> None:
    before = _digest(previous_brief)
    assert set(before) == {f"brief-{MONTH}-en.pdf", f"brief-{MONTH}.json"}
    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(warehouse), str(previous_brief), how, MONTH],
        start_new_session=True,
        capture_output=True,
        check=False,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr.decode()[-2000:]
    # the PDF is not truncated and the JSON is not newer than the PDF: nothing moved
    visible = {k: v for k, v in _digest(previous_brief).items() if not k.startswith(".")}
    assert visible == before
    recover_interrupted_writes(previous_brief)
    assert _digest(previous_brief) == before  # and the next run finds no leftover


def test_a_full_disk_while_writing_the_pdf_leaves_the_previous_pair(
    warehouse: Path, previous_brief: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _digest(previous_brief)
    real_write = pydyf.PDF.write

    def full_disk(self: pydyf.PDF, output, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        real_write(self, output, *args, **kwargs)
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(pydyf.PDF, "write", full_disk)
    with pytest.raises(OSError, match="No space left"):
        write_brief(warehouse, MONTH, previous_brief, "en")
    assert _digest(previous_brief) == before


def test_a_full_disk_while_writing_the_files_leaves_the_previous_pair(
    warehouse: Path, previous_brief: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fills up after the PDF's temporary file, on the JSON's."""
    before = _digest(previous_brief)
    real_open = open
    opened: list[str] = []

    def open_until_full(file, mode="r", *args, **kwargs):  # type: ignore[no-untyped-def]
        if "w" in mode and str(file).endswith(".partial"):
            opened.append(str(file))
            if len(opened) == 2:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr("builtins.open", open_until_full)
    with pytest.raises(OSError, match="No space left"):
        write_brief(warehouse, MONTH, previous_brief, "en")
    monkeypatch.undo()
    assert len(opened) == 2
    assert _digest(previous_brief) == before
