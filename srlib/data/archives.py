"""Safe extraction of downloaded archives (zip, tar, tar.gz) on every supported Python.

``tarfile``'s extraction filters exist only from Python 3.12 (and pooch applies them only
there), so a crafted archive could write outside its folder on 3.10/3.11 through ``../``
members, absolute names or links. :func:`extract_archive` checks every member first and
refuses the whole archive if one of them could escape, is a link, or is a device/FIFO; it
then extracts into a temporary folder beside the destination and renames it into place, so
an interrupted extraction never leaves a half-filled folder that looks complete.

Taught in ``02_degradation_and_evaluation.ipynb`` (downloads for online users).
"""
from __future__ import annotations

import os
import shutil
import stat
import tarfile
import tempfile
import zipfile
from os import PathLike
from pathlib import Path, PurePosixPath
from typing import Any

__all__ = ["ARCHIVE_KINDS", "UnsafeArchiveError", "check_member_name", "extract_archive", "SafeExtract"]

#: Archive kinds :func:`extract_archive` understands.
ARCHIVE_KINDS: tuple[str, ...] = ("zip", "tar", "tar.gz")


class UnsafeArchiveError(ValueError):
    """An archive member would write outside the destination, or is a link or special file."""


def check_member_name(name: str, archive: str | PathLike[str] = "archive") -> PurePosixPath:
    """Return a member's relative path, or raise :class:`UnsafeArchiveError` if it could escape.

    Refused: empty names, absolute paths (``/etc/x``, ``C:\\x``, ``\\\\server\\x``), and any
    ``..`` component. Backslashes count as separators (a zip made on Windows).
    """
    normalised = name.replace("\\", "/")
    path = PurePosixPath(normalised)
    if not normalised.strip("/") or normalised.startswith("/") or (len(normalised) > 1 and normalised[1] == ":"):
        raise UnsafeArchiveError(f"{os.fspath(archive)!r}: member {name!r} has an absolute or empty name; "
                                 "the archive was not extracted")
    if ".." in path.parts:
        raise UnsafeArchiveError(f"{os.fspath(archive)!r}: member {name!r} points outside the archive's folder "
                                 "('..'); the archive was not extracted")
    return path


def _kind(path: Path, kind: str | None) -> str:
    if kind is None:
        name = path.name.lower()
        kind = ("zip" if name.endswith(".zip") else "tar.gz" if name.endswith((".tar.gz", ".tgz"))
                else "tar" if name.endswith(".tar") else "")
    if kind not in ARCHIVE_KINDS:
        raise ValueError(f"archive kind must be one of {ARCHIVE_KINDS}, got {kind!r} for {str(path)!r}")
    return kind


def _check_zip(archive: zipfile.ZipFile, path: Path) -> list[zipfile.ZipInfo]:
    members = archive.infolist()
    for info in members:
        check_member_name(info.filename, path)
        file_type = stat.S_IFMT(info.external_attr >> 16)  # 0 when the zip records no Unix type
        if file_type and file_type not in (stat.S_IFREG, stat.S_IFDIR):
            raise UnsafeArchiveError(f"{str(path)!r}: member {info.filename!r} is a link or special file; "
                                     "the archive was not extracted")
    return members


def _check_tar(archive: tarfile.TarFile, path: Path) -> list[tarfile.TarInfo]:
    members = archive.getmembers()
    for info in members:
        check_member_name(info.name, path)
        if not (info.isfile() or info.isdir()):
            what = "a link" if (info.issym() or info.islnk()) else "a device, FIFO or other special file"
            raise UnsafeArchiveError(f"{str(path)!r}: member {info.name!r} is {what}; the archive was not extracted")
    return members


def _write_member(staging: Path, relative: PurePosixPath, is_dir: bool, open_source: Any,
                  written: list[PurePosixPath]) -> None:
    """Write one checked member below ``staging`` (a folder, or a file copied from ``open_source()``)."""
    out = staging.joinpath(*relative.parts)
    if is_dir:
        out.mkdir(parents=True, exist_ok=True)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    with open_source() as source, open(out, "wb") as sink:
        shutil.copyfileobj(source, sink)
    written.append(relative)


def extract_archive(archive: str | PathLike[str], destination: str | PathLike[str], *,
                    kind: str | None = None) -> list[Path]:
    """Extract ``archive`` into ``destination`` after checking every member; return the files.

    Parameters
    ----------
    archive : str or os.PathLike
        A ``.zip``, ``.tar`` or ``.tar.gz``/``.tgz`` file.
    destination : str or os.PathLike
        The folder to create. If it exists it is replaced only after a complete extraction.
    kind : {"zip", "tar", "tar.gz"} or None
        The archive type; default from the file name.

    Returns
    -------
    list of pathlib.Path
        The extracted regular files, in archive order.

    Raises
    ------
    UnsafeArchiveError
        A member has an absolute name or a ``..`` component, or is a link, device or FIFO.
        Nothing is written.
    ValueError
        Unknown kind, or a file that is not a readable archive of that kind.
    """
    path = Path(archive)
    kind = _kind(path, kind)
    target = Path(destination)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent))
    try:
        written: list[PurePosixPath] = []
        if kind == "zip":
            try:
                handle: Any = zipfile.ZipFile(path)
            except (zipfile.BadZipFile, OSError) as err:
                raise ValueError(f"{str(path)!r} is not a readable zip archive ({err})") from err
            with handle:
                for info in _check_zip(handle, path):
                    _write_member(staging, check_member_name(info.filename, path), info.is_dir(),
                                  lambda info=info: handle.open(info), written)
        else:
            try:
                handle = tarfile.open(path, "r:gz" if kind == "tar.gz" else "r:")
            except (tarfile.TarError, OSError) as err:
                raise ValueError(f"{str(path)!r} is not a readable {kind} archive ({err})") from err
            with handle:
                for info in _check_tar(handle, path):
                    _write_member(staging, check_member_name(info.name, path), info.isdir(),
                                  lambda info=info: handle.extractfile(info), written)
        if target.exists():
            shutil.rmtree(target)
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [target.joinpath(*relative.parts) for relative in written]


class SafeExtract:
    """A pooch processor that extracts a download with :func:`extract_archive`.

    Use as ``pooch.retrieve(..., processor=SafeExtract(folder))`` in place of
    ``pooch.Unzip``/``pooch.Untar``; the archive is extracted again when pooch downloaded it
    anew or when the folder is missing.
    """

    def __init__(self, extract_dir: str | PathLike[str], kind: str | None = None) -> None:
        self.extract_dir = Path(extract_dir)
        self.kind = kind

    def __call__(self, fname: str, action: str, pup: Any) -> list[str]:
        if action in ("download", "update") or not self.extract_dir.is_dir():
            files = extract_archive(fname, self.extract_dir, kind=self.kind)
        else:
            files = [p for p in sorted(self.extract_dir.rglob("*")) if p.is_file()]
        return [str(p) for p in files]
