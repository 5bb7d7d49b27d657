"""The export folder is a boundary: only regular files inside it are ever opened.

A symbolic link (to `/etc/passwd`, to `/proc/self/environ`, to another folder), a
device file, a FIFO or a socket found in the export folder is refused: it is never
opened, nothing of its content is read or stored, and ingestion reports it as a file
not loaded, with the reason below. Nothing is followed: entries are examined with
`lstat`, and files are opened with O_NOFOLLOW and checked again once open, so a file
swapped for a link between the listing and the read is refused too.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

# What to do about a refused entry, said once for every kind.
_ADVICE = (
    "Terrain reads only regular files inside the export folder and never follows links; "
    "copy the file itself into the folder."
)


class OutsideExportFolderError(OSError):
    """An export path is not a regular file inside the export folder."""


def _kind(mode: int) -> str | None:
    """What an entry of this mode is, when it is not a regular file or a folder."""
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device file"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return None


def refusal(path: Path, root: Path, folder: bool = False) -> str | None:
    """Why `path` (an entry of the export folder `root`) must not be read, or None.

    `folder` asks for a folder (a system folder) rather than a file.
    """
    try:
        mode = os.lstat(path).st_mode
    except OSError as error:
        return f"cannot be examined ({error.strerror})"
    kind = _kind(mode)
    if kind is not None:
        return f"refused: it is {kind}, not a regular {'folder' if folder else 'file'}. {_ADVICE}"
    if folder and not stat.S_ISDIR(mode):
        return f"refused: not a folder. {_ADVICE}"
    if not folder and not stat.S_ISREG(mode):
        return f"refused: not a regular file. {_ADVICE}"
    # a bind mount or a folder renamed under us: the real place must still be inside
    real = Path(os.path.realpath(path))
    if not real.is_relative_to(Path(os.path.realpath(root))):
        return f"refused: it resolves outside the export folder. {_ADVICE}"
    return None


def read_regular_file(path: Path) -> bytes:
    """The bytes of `path`, a regular file opened without following a link.

    Raises OutsideExportFolderError when `path` is a link, a device, a FIFO or a socket
    at the moment it is opened; nothing is read from it then.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        if error.errno == getattr(os, "ELOOP", None) or os.path.islink(path):
            raise OutsideExportFolderError(
                f"refused: it is a symbolic link, not a regular file. {_ADVICE}"
            ) from None
        raise
    with os.fdopen(descriptor, "rb") as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if not stat.S_ISREG(mode):
            kind = _kind(mode)
            what = f"it is {kind}, not a regular file" if kind else "not a regular file"
            raise OutsideExportFolderError(f"refused: {what}. {_ADVICE}")
        return handle.read()
