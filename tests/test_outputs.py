"""Published files are replaced whole or not at all."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from flows import outputs
from flows.outputs import remove_stale_temporaries, write_files_atomically


def test_files_are_replaced_in_order(tmp_path: Path) -> None:
    pdf, js = tmp_path / "brief.pdf", tmp_path / "brief.json"
    write_files_atomically([(pdf, b"old pdf"), (js, b"old json")])
    write_files_atomically([(pdf, b"new pdf"), (js, b"new json")])
    assert pdf.read_bytes() == b"new pdf" and js.read_bytes() == b"new json"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.json", "brief.pdf"]


def test_failure_while_writing_keeps_the_previous_pair(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pdf, js = tmp_path / "brief.pdf", tmp_path / "brief.json"
    write_files_atomically([(pdf, b"old pdf"), (js, b"old json")])
    real_fsync = os.fsync
    calls = []

    def full_disk(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:  # the second file cannot be flushed: disk full
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(outputs.os, "fsync", full_disk)
    with pytest.raises(OSError, match="No space"):
        write_files_atomically([(pdf, b"new pdf"), (js, b"new json")])
    assert pdf.read_bytes() == b"old pdf" and js.read_bytes() == b"old json"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.json", "brief.pdf"]


def test_killed_writer_leaves_old_files_and_its_temporaries_are_cleared(tmp_path: Path) -> None:
    pdf = tmp_path / "brief.pdf"
    pdf.write_bytes(b"old pdf")
    script = (
        "import os, sys\n"
        "from pathlib import Path\n"
        "from flows import outputs\n"
        "def die(fd): os.kill(os.getpid(), 9)\n"
        "outputs.os.fsync = die\n"
        "outputs.write_files_atomically([(Path(sys.argv[1]), b'new pdf')])\n"
    )
    result = subprocess.run([sys.executable, "-c", script, str(pdf)], check=False)
    assert result.returncode == -9
    assert pdf.read_bytes() == b"old pdf"
    leftovers = list(tmp_path.glob(".*.partial"))
    assert len(leftovers) == 1
    assert remove_stale_temporaries(tmp_path) == leftovers
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.pdf"]


PAIR_WRITER = (
    "import sys\n"
    "from pathlib import Path\n"
    "from flows.outputs import write_files_atomically\n"
    "folder = Path(sys.argv[1])\n"
    "write_files_atomically([(folder / 'brief.pdf', b'new pdf'), (folder / 'brief.json', b'new json')])\n"
)


@pytest.mark.parametrize(
    ("point", "after_kill"),
    [
        ("outputs.temporaries-written", (b"old pdf", b"old json")),
        ("outputs.first-renamed", (b"new pdf", b"old json")),
        ("outputs.renamed", (b"new pdf", b"new json")),
    ],
)
def test_a_pair_killed_while_renaming_is_completed_by_the_next_writer(
    tmp_path: Path, point: str, after_kill: tuple[bytes, bytes]
) -> None:
    pdf, js = tmp_path / "brief.pdf", tmp_path / "brief.json"
    write_files_atomically([(pdf, b"old pdf"), (js, b"old json")])
    child = subprocess.run(
        [sys.executable, "-c", PAIR_WRITER, str(tmp_path)],
        env={**os.environ, "TERRAIN_KILL_AT": point},
        start_new_session=True,
        check=False,
    )
    assert child.returncode == -9
    assert (pdf.read_bytes(), js.read_bytes()) == after_kill
    # the journal written before the renames says the new pair is complete: the next
    # command that writes in the folder finishes it; without one, the old pair stays
    outputs.recover_interrupted_writes(tmp_path)
    expected = (
        (b"old pdf", b"old json")
        if point == "outputs.temporaries-written"
        else (
            b"new pdf",
            b"new json",
        )
    )
    assert (pdf.read_bytes(), js.read_bytes()) == expected
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.json", "brief.pdf"]
