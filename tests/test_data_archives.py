"""srlib.data.archives: crafted archives cannot write outside their folder (any Python).

Downloads in the end-to-end test come from an http.server bound to 127.0.0.1.
"""
from __future__ import annotations

import io
import tarfile
import threading
import zipfile
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from srlib.data.archives import SafeExtract, UnsafeArchiveError, check_member_name, extract_archive


def _tar(path: Path, members: list[tuple[str, str, bytes | str]], mode: str = "w") -> Path:
    """Write a tar whose members are (name, type, payload); type 'file', 'dir', 'symlink', 'hardlink'."""
    with tarfile.open(path, mode) as archive:
        for name, kind, payload in members:
            info = tarfile.TarInfo(name)
            if kind == "file":
                data = payload if isinstance(payload, bytes) else payload.encode()
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
                continue
            info.type = {"dir": tarfile.DIRTYPE, "symlink": tarfile.SYMTYPE, "hardlink": tarfile.LNKTYPE,
                         "fifo": tarfile.FIFOTYPE}[kind]
            if kind in ("symlink", "hardlink"):
                info.linkname = str(payload)
            archive.addfile(info)
    return path


def _zip(path: Path, members: list[tuple[str, bytes]], symlink: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members:
            archive.writestr(name, data)
        if symlink is not None:
            info = zipfile.ZipInfo("link")
            info.external_attr = (0o120777 << 16)  # S_IFLNK
            archive.writestr(info, symlink)
    return path


def test_good_tar_and_zip_extract_all_files(tmp_path: Path) -> None:
    tar = _tar(tmp_path / "good.tar.gz", [("set/", "dir", b""), ("set/a.png", "file", b"A"),
                                          ("set/sub/b.png", "file", b"BB")], mode="w:gz")
    files = extract_archive(tar, tmp_path / "out")
    assert [p.relative_to(tmp_path / "out").as_posix() for p in files] == ["set/a.png", "set/sub/b.png"]
    assert (tmp_path / "out/set/sub/b.png").read_bytes() == b"BB"
    zipped = _zip(tmp_path / "good.zip", [("x/1.png", b"1"), ("x/2.png", b"22")])
    files = extract_archive(zipped, tmp_path / "zout")
    assert sorted(p.name for p in files) == ["1.png", "2.png"]
    assert not list(tmp_path.glob(".*.partial"))  # staging folder renamed into place


@pytest.mark.parametrize("name", ["../escape.txt", "set/../../escape.txt", "/tmp/escape-abs.txt",
                                  "C:/escape.txt", "..\\escape.txt"])
def test_tar_members_that_escape_are_refused_and_nothing_is_written(tmp_path: Path, name: str) -> None:
    tar = _tar(tmp_path / "bad.tar", [("ok.txt", "file", b"fine"), (name, "file", b"evil")])
    with pytest.raises(UnsafeArchiveError, match="not extracted"):
        extract_archive(tar, tmp_path / "deep" / "out")
    assert not (tmp_path / "deep" / "out").exists()
    assert not (tmp_path / "escape.txt").exists() and not (tmp_path / "deep" / "escape.txt").exists()
    assert not Path("/tmp/escape-abs.txt").exists()
    assert list((tmp_path / "deep").iterdir()) == []  # no staging folder left behind


@pytest.mark.parametrize("kind,target", [("symlink", "/etc/passwd"), ("symlink", "../../outside"),
                                         ("hardlink", "/etc/passwd"), ("fifo", "")])
def test_tar_links_and_special_files_are_refused(tmp_path: Path, kind: str, target: str) -> None:
    tar = _tar(tmp_path / "links.tar", [("set/a.png", "file", b"A"), ("set/link", kind, target)])
    with pytest.raises(UnsafeArchiveError, match="link|special file"):
        extract_archive(tar, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_zip_traversal_and_symlinks_are_refused(tmp_path: Path) -> None:
    with pytest.raises(UnsafeArchiveError, match="outside the archive"):
        extract_archive(_zip(tmp_path / "a.zip", [("../evil.txt", b"x")]), tmp_path / "out")
    with pytest.raises(UnsafeArchiveError, match="absolute"):
        extract_archive(_zip(tmp_path / "b.zip", [("/evil.txt", b"x")]), tmp_path / "out")
    with pytest.raises(UnsafeArchiveError, match="link"):
        extract_archive(_zip(tmp_path / "c.zip", [("a.png", b"x")], symlink="/etc/passwd"), tmp_path / "out")
    assert not (tmp_path / "out").exists() and not (tmp_path / "evil.txt").exists()


def test_existing_folder_is_replaced_only_after_a_complete_extraction(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "old.txt").write_text("old")
    with pytest.raises(UnsafeArchiveError, match="outside the archive's folder"):
        extract_archive(_tar(tmp_path / "bad.tar", [("../x", "file", b"x")]), out)
    assert (out / "old.txt").read_text() == "old"  # a refused archive leaves the old folder alone
    extract_archive(_tar(tmp_path / "good.tar", [("new.txt", "file", b"new")]), out)
    assert sorted(p.name for p in out.iterdir()) == ["new.txt"]


def test_bad_inputs_raise_value_errors(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="archive kind must be one of"):
        extract_archive(tmp_path / "x.rar", tmp_path / "out")
    (tmp_path / "junk.zip").write_bytes(b"not a zip")
    with pytest.raises(ValueError, match="not a readable zip archive"):
        extract_archive(tmp_path / "junk.zip", tmp_path / "out")
    (tmp_path / "junk.tar").write_bytes(b"not a tar" * 100)
    with pytest.raises(ValueError, match="not a readable tar archive"):
        extract_archive(tmp_path / "junk.tar", tmp_path / "out")
    with pytest.raises(UnsafeArchiveError, match="absolute or empty"):
        check_member_name("")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    root = tmp_path / "served"
    root.mkdir()
    handler = partial(SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None  # type: ignore[attr-defined]
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield root, f"http://127.0.0.1:{httpd.server_port}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_pooch_processor_refuses_a_crafted_tar_served_from_localhost(tmp_path: Path, served: tuple[Path, str],
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import pooch

    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    root, url = served
    _tar(root / "benchmark.tar", [("benchmark/Set5/a.png", "file", b"A"), ("../../../escaped.txt", "file", b"x"),
                                  ("benchmark/link", "symlink", "/etc/passwd")])
    cache = tmp_path / "cache" / "downloads"
    with pytest.raises(UnsafeArchiveError, match="not extracted"):
        pooch.retrieve(url + "benchmark.tar", known_hash=None, fname="benchmark.tar", path=cache,
                       processor=SafeExtract(tmp_path / "cache" / "benchmark.extracted"))
    assert not list(tmp_path.rglob("escaped.txt"))
    assert not (tmp_path / "cache" / "benchmark.extracted").exists()
    _zip(root / "good.zip", [("Set5/a.png", b"A")])
    files = pooch.retrieve(url + "good.zip", known_hash=None, fname="good.zip", path=cache,
                           processor=SafeExtract(tmp_path / "cache" / "good.extracted"))
    assert [Path(f).name for f in files] == ["a.png"]
