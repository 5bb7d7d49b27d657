"""Which files of an export folder are canonical export files, and which are refused.

`<exports>/<system>/<entity>.(csv|jsonl|parquet)` for the entities of
`contract.ENTITIES`; folder, file and extension names are matched whatever their case
(`Shop/Orders.CSV` is `shop/orders`). An entity may have several files
(`orders.csv` and `orders.jsonl`), listed in name order. Other files in the system
folders are not read; ingestion reports them as ignored.

Vendor files (`flows.ingest.vendor_file`): a file at the top of the folder, or in a
system folder under a name that is not canonical, is read as a vendor export when
`export-settings.yaml` declares its format or its header is recognised; it is then
listed under each entity it fills. A file whose header matches several formats is
`ambiguous` (ingestion refuses to guess); the others are ignored, as before.

The export folder is a boundary (`flows.ingest.boundary`): a system folder or a file
that is a symbolic link, a device, a FIFO or a socket is refused and never opened. A
refused file with a canonical name is reported as a file not loaded; a system folder
that cannot be listed (permissions, a network share gone) is reported for its system,
whose load then fails while the other systems load.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from flows import settings
from flows.ingest import contract
from flows.ingest.boundary import refusal
from flows.ingest.contract import Entity
from flows.ingest.deleted import DELETES_SUFFIX
from flows.ingest.export_settings import ExportSettings
from flows.ingest.readers import EXTENSIONS
from flows.ingest.vendor_file import VENDOR_EXTENSIONS, AmbiguousFile, VendorFile, classify


@dataclass
class ExportFolder:
    """What an export folder holds, as ingestion sees it."""

    root: Path
    files: dict[Entity, list[Path]] = field(default_factory=dict)
    # deletes files (`<entity>_deleted.<ext>`, flows.ingest.deleted), by entity
    deletes: dict[Entity, list[Path]] = field(default_factory=dict)
    # canonical names (data or deletes files) that are not regular files inside the
    # folder: entity -> (path, reason)
    refused: dict[Entity, list[tuple[Path, str]]] = field(default_factory=dict)
    # other refused entries (a linked system folder, a link with another name): (path, reason)
    refused_other: list[tuple[Path, str]] = field(default_factory=list)
    # regular files with names that are not canonical (not read)
    ignored: list[Path] = field(default_factory=list)
    # systems whose folder could not be listed: system -> reason
    unlisted: dict[str, str] = field(default_factory=dict)
    # vendor files (also listed in `files` under each entity they fill), by path
    vendor: dict[Path, VendorFile] = field(default_factory=dict)
    # files whose header matches several vendor formats, none declared
    ambiguous: list[AmbiguousFile] = field(default_factory=list)

    def label(self, path: Path, entity: Entity | None = None) -> str:
        """`path` relative to the export folder, as rejects and messages name it (a
        vendor file filling several entities: followed by `#<entity>`)."""
        vendor = self.vendor.get(path)
        if vendor is not None and entity is not None:
            return vendor.label_for(entity)
        return path.relative_to(self.root).as_posix()

    def systems(self) -> list[str]:
        """The systems with a file to load, a file refused or a folder not listed."""
        entities = [*self.files, *self.deletes, *self.refused]
        return [
            s
            for s in settings.SYSTEMS
            if any(e.system == s for e in entities) or s in self.unlisted
        ]

    def of_system(self, system: str) -> ExportFolder:
        """The part of the folder that belongs to `system`."""
        return ExportFolder(
            self.root,
            files={e: p for e, p in self.files.items() if e.system == system},
            deletes={e: p for e, p in self.deletes.items() if e.system == system},
            refused={e: p for e, p in self.refused.items() if e.system == system},
            unlisted={s: r for s, r in self.unlisted.items() if s == system},
            # every vendor file: a lookup may read one of another system
            vendor=dict(self.vendor),
        )


def _entries(folder: Path) -> list[os.DirEntry[str]]:
    with os.scandir(folder) as entries:
        return sorted(entries, key=lambda entry: entry.name)


def _canonical_entity(system: str, name: str) -> tuple[Entity, bool] | None:
    """The entity a file name is for, and whether it is the entity's deletes file."""
    stem, dot, suffix = name.rpartition(".")
    if not dot or f".{suffix.lower()}" not in EXTENSIONS:
        return None
    stem = stem.lower()
    is_deletes = stem.endswith(DELETES_SUFFIX)
    wanted = stem.removesuffix(DELETES_SUFFIX) if is_deletes else stem
    entity = next((e for e in contract.ENTITIES if e.system == system and e.name == wanted), None)
    return (entity, is_deletes) if entity is not None else None


def scan_export_folder(
    exports_dir: Path, export_settings: ExportSettings | None = None
) -> ExportFolder:
    """Every entry of the system folders of `exports_dir`, sorted into files to read,
    refused entries, ignored files and system folders that cannot be listed; files at
    the top of the folder and non-canonical files are looked at as vendor files, with
    the formats `export_settings` declares."""
    root = Path(exports_dir)
    scan = ExportFolder(root)
    if not root.is_dir():
        return scan
    top_level: list[Path] = []
    for entry in _entries(root):
        system = entry.name.lower()
        if system not in settings.SYSTEMS:
            path = Path(entry.path)
            if entry.name != settings.EXPORT_SETTINGS_FILE and path.suffix.lower() in (
                VENDOR_EXTENSIONS
            ):
                reason = refusal(path, root)
                if reason is None:
                    top_level.append(path)
                elif not entry.is_dir(follow_symlinks=False):
                    scan.refused_other.append((path, reason))
            continue
        folder = Path(entry.path)
        if entry.is_symlink() or not entry.is_dir(follow_symlinks=False):
            reason = refusal(folder, root, folder=True)
            if entry.is_symlink() and reason is not None:
                scan.refused_other.append((folder, reason))
            continue
        try:
            entries = _entries(folder)
        except OSError as error:
            scan.unlisted[system] = f"cannot list {folder} ({error.strerror})"
            continue
        for item in entries:
            path = Path(item.path)
            if item.is_dir(follow_symlinks=False):
                continue
            canonical = _canonical_entity(system, item.name)
            reason = refusal(path, root)
            if reason is not None:
                if canonical is not None:
                    scan.refused.setdefault(canonical[0], []).append((path, reason))
                else:
                    scan.refused_other.append((path, reason))
            elif canonical is not None:
                entity, is_deletes = canonical
                (scan.deletes if is_deletes else scan.files).setdefault(entity, []).append(path)
            else:
                scan.ignored.append(path)
    _add_vendor_files(scan, top_level, export_settings or ExportSettings())
    # entities in contract order, their files in name order
    scan.files = {e: sorted(scan.files[e]) for e in contract.ENTITIES if e in scan.files}
    scan.deletes = {e: sorted(scan.deletes[e]) for e in contract.ENTITIES if e in scan.deletes}
    return scan


def _add_vendor_files(
    scan: ExportFolder, top_level: list[Path], export_settings: ExportSettings
) -> None:
    """Vendor files among the top-level files and the ignored ones."""
    candidates = [(p, scan.label(p)) for p in [*top_level, *scan.ignored]]
    found = classify(candidates, export_settings)
    scan.ignored = [p for p in scan.ignored if p in found.unrecognised]
    scan.ignored += [p for p in top_level if p in found.unrecognised]
    scan.ambiguous = found.ambiguous
    for vendor in found.files:
        scan.vendor[vendor.path] = vendor
        for entity in vendor.entities:
            scan.files.setdefault(entity, []).append(vendor.path)


def scan_with_settings(exports_dir: Path) -> ExportFolder:
    """The folder scanned with the vendor formats its export-settings.yaml declares
    (without them when the file is invalid: whoever loads it reports the error)."""
    from flows.ingest.export_settings import ExportSettingsError, load_export_settings

    try:
        export_settings = load_export_settings(exports_dir)
    except ExportSettingsError:
        export_settings = ExportSettings()
    return scan_export_folder(exports_dir, export_settings)


def find_export_files(exports_dir: Path) -> dict[Entity, list[Path]]:
    """The canonical files present in the folder, by entity (`<system>/<entity>.<ext>`)."""
    return scan_export_folder(exports_dir).files


def unrecognized_files(exports_dir: Path) -> list[Path]:
    """Files in the system folders that are not canonical export files (they are ignored)."""
    return scan_export_folder(exports_dir).ignored
