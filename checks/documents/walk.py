"""Lists the candidate files under the documents folder(s), safely.

Symlinked directories are never followed and every directory is visited
once (by device and inode), so a link loop or a bind mount cannot make the
walk endless; a symlinked file counts only when it points inside one of the
folders; hidden files and Office lock files (``~$x.docx``) are skipped.
Only regular files are listed: a FIFO named ``polityka.pdf`` would block
the first read forever and a character device would stream without end, so
they (and sockets) are skipped with a note and the documents beside them
are still read.
"""

from __future__ import annotations

import os
from stat import S_ISBLK, S_ISCHR, S_ISDIR, S_ISFIFO, S_ISREG, S_ISSOCK
from dataclasses import dataclass, field
from pathlib import Path

from auditor.checks.documents.extract import OTHER_FORMATS, TEXT_FORMATS

_MAX_SKIPPED_LISTED = 50


@dataclass
class Listing:
    files: list[tuple[Path, Path]] = field(default_factory=list)
    """(root, file) pairs in a stable order."""
    skipped: list[dict[str, str]] = field(default_factory=list)
    ignored: int = 0
    """Files that are not documents (images, spreadsheets ...)."""
    truncated: bool = False

    def skip(self, path: Path, reason: str, code: str = "skipped") -> None:
        if len(self.skipped) < _MAX_SKIPPED_LISTED:
            self.skipped.append({"path": str(path), "reason": reason, "code": code})


def file_kind(mode: int) -> str:
    """What a non-regular file is, in the words ``ls -l`` users know."""
    if S_ISFIFO(mode):
        return "FIFO"
    if S_ISCHR(mode):
        return "character device"
    if S_ISBLK(mode):
        return "block device"
    if S_ISSOCK(mode):
        return "socket"
    if S_ISDIR(mode):
        return "directory"
    return "special file"


def _inside(path: Path, roots: list[Path]) -> bool:
    return any(path == root or root in path.parents for root in roots)


def list_documents(roots: list[Path], max_files: int) -> Listing:
    listing = Listing()
    real_roots = [root.resolve() for root in roots]
    seen_dirs: set[tuple[int, int]] = set()
    seen_files: set[tuple[int, int]] = set()
    for root in roots:

        def unreadable(error: OSError, root: Path = root) -> None:
            listing.skip(Path(error.filename or root), f"unreadable: {error.strerror}")

        for dirpath, dirnames, filenames in os.walk(root, followlinks=False, onerror=unreadable):
            here = Path(dirpath)
            try:
                stat = here.stat()
            except OSError as exc:
                listing.skip(here, f"unreadable: {exc.strerror}")
                dirnames[:] = []
                continue
            if (stat.st_dev, stat.st_ino) in seen_dirs:
                dirnames[:] = []
                continue
            seen_dirs.add((stat.st_dev, stat.st_ino))
            for name in list(dirnames):
                if (here / name).is_symlink():
                    listing.skip(here / name, "symlinked folder not followed")
            dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and not (here / d).is_symlink())
            for name in sorted(filenames):
                if name.startswith((".", "~$")):
                    continue
                path = here / name
                if path.suffix.lower() not in TEXT_FORMATS and path.suffix.lower() not in OTHER_FORMATS:
                    listing.ignored += 1
                    continue
                if path.is_symlink():
                    try:
                        target = path.resolve(strict=True)
                    except (OSError, RuntimeError):  # dangling, or a loop (a → b → a): RuntimeError before 3.13
                        listing.skip(path, "symlink that leads nowhere (dangling or a loop)")
                        continue
                    if not _inside(target, real_roots):
                        listing.skip(path, "symlink pointing outside the documents folder")
                        continue
                try:
                    file_stat = path.stat()
                except OSError as exc:
                    listing.skip(path, f"unreadable: {exc.strerror}")
                    continue
                if not S_ISREG(file_stat.st_mode):
                    listing.skip(path, f"not a regular file ({file_kind(file_stat.st_mode)}), not read", "not_regular_file")
                    continue
                if (file_stat.st_dev, file_stat.st_ino) in seen_files:
                    continue
                if len(listing.files) >= max_files:
                    listing.truncated = True
                    return listing
                seen_files.add((file_stat.st_dev, file_stat.st_ino))
                listing.files.append((root, path))
    return listing
