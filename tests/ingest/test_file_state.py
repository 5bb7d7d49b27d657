"""Change detection: which files of an entity must be read again."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from flows.ingest import file_state
from flows.ingest.export_settings import FileFormat
from flows.ingest.file_state import FileState

CSV = FileFormat()


def write(path: Path, text: str, mtime_ns: int) -> Path:
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(mtime_ns, mtime_ns))
    return path


def test_a_new_file_is_read_and_recorded_only_once_loaded(tmp_path: Path) -> None:
    path = write(tmp_path / "orders.csv", "order_id\nO1\n", 1_000)
    state = FileState({})
    (plan,) = state.plan({"shop/orders.csv": path}, CSV)
    assert plan.changed and plan.data == path.read_bytes()
    assert state.files == {}  # nothing is recorded before the load
    state.record(plan)
    assert set(state.files) == {"shop/orders.csv"}
    (again,) = state.plan({"shop/orders.csv": path}, CSV)
    assert not again.changed and again.fingerprint is None


def test_a_touched_file_with_the_same_bytes_is_not_read_again(tmp_path: Path) -> None:
    path = write(tmp_path / "orders.csv", "order_id\nO1\n", 1_000)
    state = FileState({})
    state.record(state.plan({"shop/orders.csv": path}, CSV)[0])
    write(path, "order_id\nO1\n", 2_000)
    (plan,) = state.plan({"shop/orders.csv": path}, CSV)
    assert not plan.changed
    assert state.files["shop/orders.csv"]["mtime_ns"] == 2_000  # the next run skips the hash


def test_new_bytes_or_new_export_settings_read_the_file_again(tmp_path: Path) -> None:
    path = write(tmp_path / "orders.csv", "order_id\nO1\n", 1_000)
    state = FileState({})
    state.record(state.plan({"shop/orders.csv": path}, CSV)[0])
    assert state.plan({"shop/orders.csv": path}, FileFormat(delimiter=";"))[0].changed
    write(path, "order_id\nO2\n", 2_000)
    assert state.plan({"shop/orders.csv": path}, CSV)[0].changed


def test_same_size_edit_with_the_modification_time_put_back_is_read_again(tmp_path: Path) -> None:
    """Issue 12: a same-size edit that keeps the mtime was skipped as unchanged."""
    path = write(tmp_path / "orders.csv", "order_id\nO1\n", 1_000)
    state = FileState({})
    state.record(state.plan({"shop/orders.csv": path}, CSV)[0])
    _hashed_long_after_the_last_change(state)
    write(path, "order_id\nO2\n", 1_000)  # same size, mtime restored (touch -d, rsync -t)
    (plan,) = state.plan({"shop/orders.csv": path}, CSV)
    assert plan.changed and plan.data == b"order_id\nO2\n"


def test_an_untouched_file_is_not_read_once_its_hash_is_recorded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "orders.csv", "order_id\nO1\n", 1_000)
    state = FileState({})
    state.record(state.plan({"shop/orders.csv": path}, CSV)[0])
    _hashed_long_after_the_last_change(state)

    def no_reading(path: Path) -> bytes:
        raise AssertionError(f"{path} was read")

    monkeypatch.setattr(file_state, "read_regular_file", no_reading)
    (plan,) = state.plan({"shop/orders.csv": path}, CSV)
    assert not plan.changed and plan.data is None


def test_a_file_hashed_in_the_same_clock_tick_as_its_last_change_is_hashed_again(
    tmp_path: Path,
) -> None:
    """A file system with coarse times cannot tell two writes in one tick apart."""
    path = write(tmp_path / "orders.csv", "order_id\nO1\n", 1_000)
    state = FileState({})
    state.record(state.plan({"shop/orders.csv": path}, CSV)[0])  # hashed just now
    fingerprint = dict(state.files["shop/orders.csv"])
    (plan,) = state.plan({"shop/orders.csv": path}, CSV)
    assert not plan.changed  # hashed again (same bytes), not trusted on its times
    assert state.files["shop/orders.csv"]["hashed_at_ns"] > fingerprint["hashed_at_ns"]


def test_a_file_replaced_by_a_symbolic_link_is_refused_unread(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("PASSWORD=hunter2\n", encoding="utf-8")
    path = write(tmp_path / "orders.csv", "order_id\nO1\n", 1_000)
    state = FileState({})
    state.record(state.plan({"shop/orders.csv": path}, CSV)[0])
    path.unlink()
    path.symlink_to(secret)
    (plan,) = state.plan({"shop/orders.csv": path}, CSV)
    assert plan.error is not None and "symbolic link" in plan.error
    assert plan.data is None and "hunter2" not in plan.error


def _hashed_long_after_the_last_change(state: FileState) -> None:
    """As if the file had been hashed well after its last change (a later run)."""
    for fingerprint in state.files.values():
        fingerprint["hashed_at_ns"] = fingerprint["ctime_ns"] + 10 * file_state.RACY_NANOSECONDS


def test_vanished_files_are_forgotten_in_name_order(tmp_path: Path) -> None:
    state = FileState({"shop/orders.csv": {}, "shop/b.csv": {}, "shop/a.csv": {}})
    assert state.forget_vanished(["shop/orders.csv"]) == ["shop/a.csv", "shop/b.csv"]
    assert set(state.files) == {"shop/orders.csv"}
