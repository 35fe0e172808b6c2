"""Tests for srlib.data.registry: the registry and its JSON manifests, hash-checked downloads (from a local
server), load_dataset, pixel digests and verify_folder.

Nothing here touches the network: downloads come from an http.server bound to 127.0.0.1
in a background thread, serving files the test writes into tmp_path.
"""
from __future__ import annotations

import hashlib
import io
import socket
import tarfile
import threading
import zipfile
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from typing import Iterator

import numpy as np
import pytest
from PIL import Image

from srlib import data
from srlib.data import DatasetInfo, registry


def _png_bytes(image: np.ndarray, fmt: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format=fmt)
    return buffer.getvalue()


def _tiny_images() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)
    return {f"img_{i}": rng.integers(0, 256, size=(8 + i, 10, 3), dtype=np.uint8) for i in (1, 2, 10)}


def _sha256(blob: bytes) -> str:
    return hashlib.sha256(blob).hexdigest()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[SimpleNamespace]:
    """A local HTTP server on 127.0.0.1 serving tmp_path/served; records each GET path."""
    root = tmp_path / "served"
    root.mkdir()
    requests: list[str] = []

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            super().__init__(*args, directory=str(root), **kwargs)

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            requests.append(self.path)
            super().do_GET()

        def log_message(self, *args) -> None:  # type: ignore[no-untyped-def]
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield SimpleNamespace(root=root, url=f"http://127.0.0.1:{httpd.server_port}/", requests=requests)
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture(autouse=True)
def _no_proxy_and_no_user_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for variable in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv(data.DATA_DIR_ENV, str(tmp_path / "env_cache"))  # never the user's real cache


def _zip_dataset(server: SimpleNamespace, images: dict[str, np.ndarray], name: str = "tiny") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for stem, image in images.items():
            archive.writestr(f"{name}/HR/{stem}.png", _png_bytes(image))
        archive.writestr(f"{name}/README.txt", "not an image")
    blob = buffer.getvalue()
    (server.root / f"{name}.zip").write_bytes(blob)
    return blob


def _archive_entry(server: SimpleNamespace, known_hash: str | None, *, name: str = "tiny",
                   archive: str = "zip", file_name: str = "tiny.zip", subfolder: str = "tiny/HR") -> DatasetInfo:
    return DatasetInfo(name=name, description="test", citation="none", licence="test data",
                       url=server.url + file_name, archive=archive, known_hash=known_hash,
                       subfolder=subfolder, verified=known_hash is not None)


# --- registry ------------------------------------------------------------------------------

def test_registry_is_consistent_and_never_invents_hashes() -> None:
    registry._check_registry(data.REGISTRY)
    assert set(data.dataset_names()) >= {"Set5", "Set14", "B100", "Urban100", "T91", "General100",
                                         "DIV2K_train_HR", "DIV2K_valid_HR", "CIFAR-10"}
    for info in data.REGISTRY.values():
        assert info.url.startswith("https://")
        assert info.verified == (info.known_hash is not None or bool(info.files)), info.name
        if not info.verified:
            assert "not verified" in info.note
    assert len(data.REGISTRY["Set5"].files) == 5 and len(data.REGISTRY["Set14"].files) == 14
    assert len(data.REGISTRY["T91"].files) == 91 and len(data.REGISTRY["General100"].files) == 100
    assert all(row[2].startswith("sha256:") for row in data.REGISTRY["Set5"].files)
    assert all(row[2].startswith("gitblob:") for row in data.REGISTRY["T91"].files)
    assert data.REGISTRY["CIFAR-10"].known_hash == "md5:c58f30108f718f92721af3b95e74349a"
    assert data.REGISTRY["CIFAR-10"].sha256 is None and not data.REGISTRY["CIFAR-10"].images
    assert data.REGISTRY["Set5"].pixel_digests["baby.png"] == data.REGISTRY["Set5"].files[0][3]


def test_manifests_are_json_files_shipped_with_the_package() -> None:
    """The per-file manifests are data (srlib/data/manifests/*.json), one per file-by-file dataset."""
    import json

    folder = Path(registry.__file__).parent / "manifests"
    names = sorted(path.stem for path in folder.glob("*.json"))
    assert names == sorted(name for name, info in data.REGISTRY.items() if info.files)
    for name in names:
        manifest = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
        assert manifest["dataset"] == name and data.REGISTRY[name].url == manifest["url"]
        assert [row["name"] for row in manifest["files"]] == [row[0] for row in data.REGISTRY[name].files]
    assert data.REGISTRY["Set5"].files[0] == (
        "baby.png", "CSet5/baby.png", "sha256:cb85956d68f708a1030c790d143cbcd108f5ac5988d3349180cdcb54dd80597d",
        "36a4e0a470196847ca6797f65a65b077fabd201f8de9633788422e17783f0d56")
    assert data.REGISTRY["General100"].files[-1][:3] == (
        "im_100.bmp", "dataset/train/General-100/im_100.bmp", "gitblob:05f67c4538704666aee9f6d487d3a6c998dd75db")
    pyproject = (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text()
    assert '"data/manifests/*.json"' in pyproject, "the manifests must be package data (installed with srlib)"


def test_registry_lookup_is_case_insensitive_with_aliases_and_rejects_unknown_names() -> None:
    assert registry._lookup("set5") is data.REGISTRY["Set5"]
    assert registry._lookup("BSD100") is data.REGISTRY["B100"]
    with pytest.raises(ValueError, match="unknown dataset 'Set6'.*Set5"):
        data.fetch("Set6")
    with pytest.raises(ValueError, match="dataset name"):
        data.fetch(5)  # type: ignore[arg-type]


def test_data_dir_prefers_argument_then_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert data.data_dir(tmp_path / "a") == tmp_path / "a"
    assert not (tmp_path / "a").exists()  # looking it up creates nothing
    assert data.data_dir(tmp_path / "b", create=True).is_dir()
    monkeypatch.setenv(data.DATA_DIR_ENV, str(tmp_path / "from_env"))
    assert data.data_dir() == tmp_path / "from_env"
    (tmp_path / "file").write_text("x")
    with pytest.raises(ValueError, match="not a folder"):
        data.data_dir(tmp_path / "file")


# --- downloads from a local server --------------------------------------------------------

def test_fetch_zip_extracts_verifies_and_hits_the_cache(server: SimpleNamespace, tmp_path: Path) -> None:
    images = _tiny_images()
    blob = _zip_dataset(server, images)
    info = _archive_entry(server, "sha256:" + _sha256(blob))
    cache = tmp_path / "cache"
    folder = data.fetch(info, cache_dir=cache)
    assert folder.is_dir() and cache in folder.parents
    loaded = data.load_folder(folder)
    assert list(loaded) == ["img_1", "img_2", "img_10"]  # natural order, README skipped
    for stem, image in images.items():
        np.testing.assert_array_equal(loaded[stem], image)
    assert server.requests == ["/tiny.zip"]
    assert data.fetch(info, cache_dir=cache) == folder
    assert server.requests == ["/tiny.zip"], "a cached, hash-checked dataset must not be downloaded again"
    assert list(data.load_dataset(info, cache_dir=cache, limit=2)) == ["img_1", "img_2"]


def test_fetch_by_registry_name_uses_the_environment_cache(server: SimpleNamespace, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    blob = _zip_dataset(server, _tiny_images())
    monkeypatch.setitem(data.REGISTRY, "tiny", _archive_entry(server, "sha256:" + _sha256(blob)))
    loaded = data.load_dataset("TINY")
    assert len(loaded) == 3
    assert (tmp_path / "env_cache" / "downloads" / "tiny.zip").is_file()


def test_fetch_rejects_a_wrong_hash_and_keeps_nothing(server: SimpleNamespace, tmp_path: Path) -> None:
    _zip_dataset(server, _tiny_images())
    info = _archive_entry(server, "sha256:" + "0" * 64)
    with pytest.raises(ValueError, match="'tiny'.*hash"):
        data.fetch(info, cache_dir=tmp_path / "cache")
    assert not (tmp_path / "cache" / "downloads" / "tiny.zip").exists()


def test_fetch_without_a_recorded_hash_is_refused_before_downloading(server: SimpleNamespace, tmp_path: Path) -> None:
    _zip_dataset(server, _tiny_images())
    info = _archive_entry(server, None)
    with pytest.raises(ValueError, match="'tiny' has no recorded hash.*allow_unverified=True"):
        data.fetch(info, cache_dir=tmp_path / "cache")
    assert server.requests == []  # nothing was downloaded
    with pytest.raises(ValueError, match="allow_unverified=True"):
        data.load_dataset(info, cache_dir=tmp_path / "cache")
    with pytest.raises(ValueError, match="allow_unverified must be True or False"):
        data.fetch(info, cache_dir=tmp_path / "cache", allow_unverified="yes")


def test_fetch_unverified_when_allowed_warns_before_and_after_with_the_sha256(server: SimpleNamespace,
                                                                              tmp_path: Path) -> None:
    blob = _zip_dataset(server, _tiny_images())
    info = _archive_entry(server, None)
    with pytest.warns(UserWarning) as record:
        folder = data.fetch(info, cache_dir=tmp_path / "cache", allow_unverified=True)
    messages = [str(w.message) for w in record]
    assert "without a recorded hash" in messages[0] and _sha256(blob) in messages[-1]
    assert len(data.load_folder(folder)) == 3


def test_fetch_refuses_a_crafted_archive_from_localhost(server: SimpleNamespace, tmp_path: Path) -> None:
    from srlib.data.archives import UnsafeArchiveError

    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for name in ("tiny/a.png", "../../../escaped.png"):
            info = tarfile.TarInfo(name)
            info.size = 1
            archive.addfile(info, io.BytesIO(b"x"))
    (server.root / "tiny.tar").write_bytes(buffer.getvalue())
    entry = _archive_entry(server, "sha256:" + hashlib.sha256(buffer.getvalue()).hexdigest(), archive="tar",
                           file_name="tiny.tar", subfolder="tiny")
    with pytest.raises(UnsafeArchiveError, match="outside the archive's folder"):
        data.fetch(entry, cache_dir=tmp_path / "cache")
    assert not list(tmp_path.rglob("escaped.png"))
    assert not (tmp_path / "cache" / "downloads" / "tiny.tar").exists()  # the crafted download is deleted


def test_fetch_tar_gz_and_a_missing_subfolder(server: SimpleNamespace, tmp_path: Path) -> None:
    buffer = io.BytesIO()
    png = _png_bytes(np.zeros((4, 4, 3), np.uint8))
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        member = tarfile.TarInfo("pack/images/black.png")
        member.size = len(png)
        archive.addfile(member, io.BytesIO(png))
    blob = buffer.getvalue()
    (server.root / "pack.tar.gz").write_bytes(blob)
    good = _archive_entry(server, "md5:" + hashlib.md5(blob).hexdigest(), archive="tar.gz",  # noqa: S324
                          file_name="pack.tar.gz", subfolder="pack/images")
    assert list(data.load_dataset(good, cache_dir=tmp_path / "cache")) == ["black"]
    wrong = _archive_entry(server, "md5:" + hashlib.md5(blob).hexdigest(), archive="tar.gz",  # noqa: S324
                           file_name="pack.tar.gz", subfolder="pack/HR")
    with pytest.raises(ValueError, match="no folder 'pack/HR'.*pack/images"):
        data.fetch(wrong, cache_dir=tmp_path / "cache")


def test_fetch_file_by_file_checks_sha256_and_git_blob_ids(server: SimpleNamespace, tmp_path: Path) -> None:
    images = _tiny_images()
    rows = []
    for index, (stem, image) in enumerate(images.items()):
        blob = _png_bytes(image, "PNG" if index % 2 == 0 else "BMP")
        remote = f"repo/{stem}.{'png' if index % 2 == 0 else 'bmp'}"
        (server.root / "repo").mkdir(exist_ok=True)
        (server.root / remote).write_bytes(blob)
        git_id = hashlib.sha1(f"blob {len(blob)}\0".encode() + blob).hexdigest()  # noqa: S324
        download_hash = "sha256:" + _sha256(blob) if index % 2 == 0 else "gitblob:" + git_id
        rows.append((Path(remote).name, remote, download_hash, data.pixel_digest(image)))
    info = DatasetInfo(name="files", description="t", citation="t", licence="t", url=server.url,
                       files=tuple(rows), verified=True)
    registry._check_registry({"files": info})
    folder = data.fetch(info, cache_dir=tmp_path / "cache")
    assert sorted(p.name for p in folder.iterdir()) == sorted(row[0] for row in rows)
    assert data.verify_folder(folder, info) == {stem: stem for stem in images}
    count = len(server.requests)
    data.fetch(info, cache_dir=tmp_path / "cache")
    assert len(server.requests) == count == 3

    bad_row = rows[1][:2] + ("gitblob:" + "f" * 40, rows[1][3])
    bad = DatasetInfo(name="badblob", description="t", citation="t", licence="t", url=server.url,
                      files=(bad_row,), verified=True)
    with pytest.raises(ValueError, match="'badblob'.*git blob id"):
        data.fetch(bad, cache_dir=tmp_path / "cache2")
    assert not (tmp_path / "cache2" / "badblob" / bad_row[0]).exists()


def test_fetch_reports_http_errors_as_connection_errors(server: SimpleNamespace, tmp_path: Path) -> None:
    info = _archive_entry(server, "sha256:" + "0" * 64, file_name="missing.zip")
    with pytest.raises(ConnectionError, match="'tiny'.*missing.zip.*load_dataset"):
        data.fetch(info, cache_dir=tmp_path / "cache")
    with socket.socket() as probe:  # a port with nobody listening: connection refused, no network
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    refused = DatasetInfo(name="refused", description="t", citation="t", licence="t",
                          url=f"http://127.0.0.1:{port}/x.zip", archive="zip", known_hash="sha256:" + "0" * 64)
    with pytest.raises(ConnectionError, match="'refused'"):
        data.fetch(refused, cache_dir=tmp_path / "cache")


def test_cifar_is_not_an_image_folder() -> None:
    with pytest.raises(ValueError, match="CIFAR-10.*fetch"):
        data.load_dataset("cifar10")


def test_load_dataset_reads_folders_and_errors_name_the_problem(tmp_path: Path) -> None:
    for stem, image in _tiny_images().items():
        Image.fromarray(image).save(tmp_path / f"{stem}.png")
    assert list(data.load_dataset(tmp_path, limit=1)) == ["img_1"]
    with pytest.raises(FileNotFoundError, match="no such folder"):
        data.load_dataset(tmp_path / "missing")
    with pytest.raises(FileNotFoundError, match="no such folder.*registry dataset"):
        data.load_dataset(str(tmp_path / "missing"))
    with pytest.raises(ValueError, match="unknown dataset 'Set99'"):
        data.load_dataset("Set99")


def test_pixel_digest_ignores_the_file_format_and_verify_folder_matches_by_pixels(tmp_path: Path) -> None:
    images = _tiny_images()
    rows = tuple((f"{stem}.png", f"x/{stem}.png", "sha256:" + "0" * 64, data.pixel_digest(image))
                 for stem, image in images.items())
    info = DatasetInfo(name="digests", description="t", citation="t", licence="t", url="https://example.invalid/",
                       files=rows, verified=True)
    renamed = tmp_path / "renamed"
    renamed.mkdir()
    for stem, image in images.items():
        Image.fromarray(image).save(renamed / f"{stem}_GT.bmp")
    assert data.verify_folder(renamed, info) == {f"{stem}_GT": stem for stem in images}
    changed = images["img_2"].copy()
    changed[0, 0, 0] ^= 1
    Image.fromarray(changed).save(renamed / "img_2_GT.bmp")
    with pytest.raises(ValueError, match=r"1 image\(s\) missing or changed \['img_2'\]"):
        data.verify_folder(renamed, info)
    with pytest.raises(ValueError, match="uint8"):
        data.pixel_digest(np.zeros((4, 4), np.uint8))
    with pytest.raises(ValueError, match="no per-file manifest"):
        data.verify_folder(renamed, "B100")
