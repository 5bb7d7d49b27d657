"""Which files of an export folder are canonical export files.

`<exports>/<system>/<entity>.(csv|jsonl|parquet)` for the entities of
`contract.ENTITIES`; folder, file and extension names are matched whatever their case
(`Shop/Orders.CSV` is `shop/orders`). An entity may have several files
(`orders.csv` and `orders.jsonl`), listed in name order. Other files in the system
folders are not read; ingestion reports them as ignored.
"""

from __future__ import annotations

from pathlib import Path

from flows import settings
from flows.ingest import contract
from flows.ingest.contract import Entity
from flows.ingest.readers import EXTENSIONS


def _system_folders(exports_dir: Path, system: str) -> list[Path]:
    """The folders of `system` in the export folder, whatever the case of their name."""
    if not exports_dir.is_dir():
        return []
    return sorted(p for p in exports_dir.iterdir() if p.is_dir() and p.name.lower() == system)


def find_export_files(exports_dir: Path) -> dict[Entity, list[Path]]:
    """The canonical files present in the folder, by entity (`<system>/<entity>.<ext>`)."""
    found: dict[Entity, list[Path]] = {}
    for system in settings.SYSTEMS:
        files = [p for f in _system_folders(exports_dir, system) for p in f.iterdir()]
        for entity in contract.ENTITIES:
            if entity.system != system:
                continue
            paths = sorted(
                p
                for p in files
                if p.is_file() and p.stem.lower() == entity.name and p.suffix.lower() in EXTENSIONS
            )
            if paths:
                found[entity] = paths
    return found


def unrecognized_files(exports_dir: Path) -> list[Path]:
    """Files in the system folders that are not canonical export files (they are ignored)."""
    known = {p for paths in find_export_files(exports_dir).values() for p in paths}
    others = []
    for system in settings.SYSTEMS:
        for folder in _system_folders(exports_dir, system):
            others += [p for p in sorted(folder.iterdir()) if p.is_file() and p not in known]
    return others
