"""Tests for srlib.data.folders: the one folder reader (which files, which order, which names, grey images)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from srlib import data
from srlib.images import write_image


def _tiny_images() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)
    return {f"img_{i}": rng.integers(0, 256, size=(8 + i, 10, 3), dtype=np.uint8) for i in (1, 2, 10)}


# --- find_images: the one lister ----------------------------------------------------------

def test_find_images_lists_image_files_in_natural_order_folder_by_folder(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    for folder, stems in ((first, ("img_10", "img_2", "IMG_3", "img_1")), (second, ("b", "a"))):
        folder.mkdir()
        for stem in stems:
            write_image(folder / f"{stem}.png", np.zeros((4, 4, 3), np.uint8))
    (first / "SHA256SUMS").write_text("not an image\n")
    (first / "._img_1.png").write_bytes(b"\x00\x05\x16\x07 macOS AppleDouble, not a PNG")  # skipped
    (first / "notes.PNG.txt").write_text("not an image either")
    (first / "upper.PNG").write_bytes((first / "img_1.png").read_bytes())  # suffixes in any case
    files = data.find_images([first, str(second)])
    assert [f.name for f in files] == ["img_1.png", "img_2.png", "IMG_3.png", "img_10.png", "upper.PNG",
                                       "a.png", "b.png"]
    assert data.find_images(first) == files[:5]
    assert len(data.file_list_sha256(files)) == 64
    assert data.file_list_sha256(files[::-1]) == data.file_list_sha256(files)  # order does not matter
    write_image(second / "c.png", np.zeros((4, 5, 3), np.uint8))
    assert data.file_list_sha256(data.find_images([first, second])) != data.file_list_sha256(files)


def test_find_images_errors(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="holds no images"):
        data.find_images(tmp_path)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        data.find_images(tmp_path / "missing")
    (tmp_path / "a.png").write_bytes(b"x")
    with pytest.raises(ValueError, match="is a file"):
        data.find_images(tmp_path / "a.png")


# --- load_folder ---------------------------------------------------------------------------

def test_load_folder_reads_images_in_natural_order_and_skips_other_files(tmp_path: Path) -> None:
    images = _tiny_images()
    for stem, image in images.items():
        Image.fromarray(image).save(tmp_path / f"{stem}.png")
    Image.fromarray(np.full((5, 6), 7, np.uint8)).save(tmp_path / "gray.bmp")
    (tmp_path / "SHA256SUMS").write_text("abc  img_1.png\n")
    (tmp_path / ".hidden.png").write_bytes(b"junk")
    (tmp_path / "sub").mkdir()
    loaded = data.load_folder(tmp_path)
    assert list(loaded) == ["gray", "img_1", "img_2", "img_10"]
    assert all(v.dtype == np.uint8 and v.ndim == 3 and v.shape[2] == 3 for v in loaded.values())
    assert np.all(loaded["gray"] == 7)
    assert data.load_folder(tmp_path, grayscale="keep")["gray"].shape == (5, 6)
    assert list(data.load_folder(str(tmp_path), limit=2)) == ["gray", "img_1"]


def test_load_folder_errors_name_the_problem(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no such folder"):
        data.load_folder(tmp_path / "missing")
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("no images here")
    with pytest.raises(ValueError, match="no image files"):
        data.load_folder(empty)
    (tmp_path / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n not really a png")
    with pytest.raises(ValueError, match="a.png"):
        data.load_folder(tmp_path)
    with pytest.raises(ValueError, match="is a file"):
        data.load_folder(tmp_path / "a.png")
    dup = tmp_path / "dup"
    dup.mkdir()
    for ext in ("png", "bmp"):
        Image.fromarray(np.zeros((4, 4, 3), np.uint8)).save(dup / f"x.{ext}")
    with pytest.raises(ValueError, match="two images named 'x'"):
        data.load_folder(dup)
    for bad in (0, -1, 1.5, True):
        with pytest.raises(ValueError, match="limit"):
            data.load_folder(dup, limit=bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="grayscale"):
        data.load_folder(dup, grayscale="gray")  # type: ignore[arg-type]


# --- load_images: the one loader (folders, files, dicts, the default set) ------------------

def test_load_images_folder_skips_hidden_files_and_refuses_duplicate_stems(tmp_path: Path) -> None:
    """A folder is read like load_folder: no silent overwrite, no AppleDouble files."""
    image = _tiny_images()["img_2"]
    write_image(tmp_path / "a.png", image)
    (tmp_path / "._a.png").write_bytes(b"\x00\x05\x16\x07 macOS AppleDouble, not a PNG")
    loaded = data.load_images(tmp_path)
    assert list(loaded) == ["a"]
    np.testing.assert_array_equal(loaded["a"], image)
    write_image(tmp_path / "a.bmp", image[::-1])  # same stem: one of them would be dropped silently
    with pytest.raises(ValueError, match="two images named 'a'"):
        data.load_images(tmp_path)


def test_load_images_names_are_stems_in_natural_order_across_folders_and_files(tmp_path: Path) -> None:
    images = _tiny_images()
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    for stem, image in images.items():
        write_image(first / f"{stem}.png", image)
    write_image(second / "grey.png", np.full((6, 7), 9, np.uint8))
    loose = tmp_path / "loose.bmp"
    write_image(loose, images["img_1"][::-1])
    loaded = data.load_images([first, second, loose])
    assert list(loaded) == ["img_1", "img_2", "img_10", "grey", "loose"]
    assert loaded["grey"].shape == (6, 7, 3) and np.all(loaded["grey"] == 9)
    kept = data.load_images([second], grayscale="keep")
    assert kept["grey"].shape == (6, 7)
    assert list(data.load_images(loose)) == ["loose"]
    np.testing.assert_array_equal(data.load_images(str(first))["img_10"], images["img_10"])
    write_image(second / "img_2.png", images["img_2"])  # the same stem in two folders
    with pytest.raises(ValueError, match="two images named 'img_2'"):
        data.load_images([first, second])


def test_load_images_dicts_follow_the_same_grey_rule() -> None:
    grey = np.arange(20, dtype=np.uint8).reshape(4, 5)
    colour = np.zeros((4, 5, 3), np.uint8)
    rgb = data.load_images({"grey": grey, "one": grey[:, :, None], "colour": colour, 7: colour})
    assert list(rgb) == ["grey", "one", "colour", "7"]
    assert rgb["grey"].shape == rgb["one"].shape == (4, 5, 3)
    assert all(np.array_equal(rgb["grey"][:, :, c], grey) for c in range(3))
    kept = data.load_images({"grey": grey, "one": grey[:, :, None], "colour": colour}, grayscale="keep")
    assert kept["grey"].shape == kept["one"].shape == (4, 5) and kept["colour"] is colour


def test_load_images_none_is_the_offline_default_set() -> None:
    loaded = data.load_images(None)
    assert tuple(loaded) == data.DEFAULT_IMAGES
    np.testing.assert_array_equal(loaded["camera"], data.default_images(names=["camera"])["camera"])


def test_load_images_errors_name_the_problem(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="uint8"):
        data.load_images({"x": np.zeros((8, 8, 3), np.float32)})
    with pytest.raises(ValueError, match="'x'.*shape"):
        data.load_images({"x": np.zeros((8, 8, 4), np.uint8)})
    with pytest.raises(ValueError, match="no HR images: images is empty"):
        data.load_images({})
    with pytest.raises(ValueError, match="no HR images: hr_images is empty"):
        data.load_images([], name="hr_images")
    with pytest.raises(ValueError, match="two images named"):  # checked before any file is read
        data.load_images([tmp_path / "a" / "x.png", tmp_path / "b" / "x.png"])
    with pytest.raises(FileNotFoundError, match="missing.png"):
        data.load_images(tmp_path / "missing.png")
    with pytest.raises(FileNotFoundError, match="no such folder or image file"):
        data.load_images([tmp_path / "missing"])
    with pytest.raises(ValueError, match="hr_images must be a dict"):
        data.load_images(42, name="hr_images")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="folder or image file paths"):
        data.load_images([np.zeros((4, 4, 3), np.uint8)])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="grayscale"):
        data.load_images({}, grayscale="grey")  # type: ignore[arg-type]
