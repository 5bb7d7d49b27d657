"""Change detection: which files of an entity must be read again."""

from __future__ import annotations

import os
from pathlib import Path

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


def test_same_size_and_modification_time_is_trusted_without_reading(tmp_path: Path) -> None:
    path = write(tmp_path / "orders.csv", "order_id\nO1\n", 1_000)
    state = FileState({})
    state.record(state.plan({"shop/orders.csv": path}, CSV)[0])
    write(path, "order_id\nO2\n", 1_000)  # same size, mtime restored: not hashed
    (plan,) = state.plan({"shop/orders.csv": path}, CSV)
    assert not plan.changed and plan.data is None


def test_vanished_files_are_forgotten_in_name_order(tmp_path: Path) -> None:
    state = FileState({"shop/orders.csv": {}, "shop/b.csv": {}, "shop/a.csv": {}})
    assert state.forget_vanished(["shop/orders.csv"]) == ["shop/a.csv", "shop/b.csv"]
    assert set(state.files) == {"shop/orders.csv"}
