"""Tests of srlib.pretrained: manifest, sha256 verification, clear errors, shipped weights."""
from __future__ import annotations

import json

import numpy as np
import pytest

keras = pytest.importorskip("keras")

from srlib.models.layers import to_numpy  # noqa: E402

from srlib import pretrained  # noqa: E402
from srlib.models import build_model  # noqa: E402


def _ship(tmp_path, name: str, scale: int, **kwargs) -> keras.Model:
    keras.utils.set_random_seed(scale)
    model = build_model(name, scale, **kwargs)
    pretrained.save_shipped(model, name, scale, tmp_path, kwargs=kwargs, metrics={"Set5": {"psnr": 1.0}},
                            steps=10)
    return model


def _run(model, x):
    return to_numpy(model(x, training=False))


def test_save_register_and_load_round_trip(tmp_path):
    model = _ship(tmp_path, "espcn", 3)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    entry = manifest["espcn_x3.weights.h5"]
    assert entry["model"] == "espcn" and entry["scale"] == 3 and entry["steps"] == 10
    assert entry["sha256"] == pretrained.sha256_file(tmp_path / "espcn_x3.weights.h5")
    loaded = pretrained.load("espcn", 3, weights_dir=tmp_path)
    x = np.random.default_rng(0).random((1, 7, 9, 1), dtype=np.float32)
    np.testing.assert_array_equal(_run(model, x), _run(loaded, x))
    assert loaded.name == "espcn_x3"
    assert pretrained.load("espcn", 3, weights_dir=tmp_path) is loaded  # cached
    assert pretrained.available(tmp_path) == [("espcn", 3)]
    assert pretrained.info("espcn", 3, tmp_path)["metrics"] == {"Set5": {"psnr": 1.0}}


def test_a_trained_variant_ships_under_its_own_name(tmp_path):
    """The GAN generator is srresnet's architecture with other weights: its own file, entry and model name."""
    kwargs = {"filters": 8, "blocks": 1}
    pixel = _ship(tmp_path, "srresnet", 2, **kwargs)
    keras.utils.set_random_seed(7)
    gan = build_model("srresnet", 2, **kwargs)
    pretrained.save_shipped(gan, "srresnet_gan", 2, tmp_path, kwargs=kwargs)
    entry = pretrained.read_manifest(tmp_path / "manifest.json")["srresnet_gan_x2.weights.h5"]
    assert (entry["model"], entry["method"], entry["objective"]) == ("srresnet", "srresnet_gan", "gan")
    loaded = pretrained.load("srresnet_gan", 2, weights_dir=tmp_path)
    assert loaded.name == "srresnet_gan_x2" and pretrained.load("srresnet", 2, weights_dir=tmp_path).name == "srresnet_x2"
    x = np.random.default_rng(0).random((1, 5, 6, 3), dtype=np.float32)
    np.testing.assert_array_equal(_run(loaded, x), _run(gan, x))
    assert not np.array_equal(_run(loaded, x), _run(pixel, x))
    assert pretrained.available(tmp_path) == [("srresnet", 2), ("srresnet_gan", 2)]
    command = pretrained.training_command("srresnet_gan", 4)
    assert "--objective gan --init-weights runs/srresnet_x4/srresnet_x4.weights.h5" in command
    assert "srresnet_gan_x4.weights.h5" in command


def test_kwargs_are_used_to_rebuild(tmp_path):
    model = _ship(tmp_path, "srcnn", 2, variant="9-5-5")
    loaded = pretrained.load("srcnn", 2, weights_dir=tmp_path)
    assert loaded.count_params() == model.count_params() == 57281


def test_missing_weights_name_the_training_command(tmp_path):
    with pytest.raises(ValueError, match="python -m srlib train fsrcnn --scale 4") as info:
        pretrained.load("fsrcnn", 4, weights_dir=tmp_path)
    assert isinstance(info.value, FileNotFoundError)
    _ship(tmp_path, "fsrcnn", 4)
    (tmp_path / "fsrcnn_x4.weights.h5").unlink()
    with pytest.raises(pretrained.WeightsNotFoundError, match="missing"):
        pretrained.load("fsrcnn", 4, weights_dir=tmp_path)
    assert pretrained.available(tmp_path) == []


def test_corrupt_file_is_rejected(tmp_path):
    _ship(tmp_path, "fsrcnn", 2)
    path = tmp_path / "fsrcnn_x2.weights.h5"
    data = bytearray(path.read_bytes())
    data[-100] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="sha256"):
        pretrained.load("fsrcnn", 2, weights_dir=tmp_path)


def test_wrong_model_in_file_is_rejected(tmp_path):
    # fsrcnn x2 weights copied over the x3 file: the manifest entry says x2
    _ship(tmp_path, "fsrcnn", 2)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    (tmp_path / "fsrcnn_x3.weights.h5").write_bytes((tmp_path / "fsrcnn_x2.weights.h5").read_bytes())
    manifest["fsrcnn_x3.weights.h5"] = manifest["fsrcnn_x2.weights.h5"]
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ValueError, match="not 'fsrcnn' x3"):
        pretrained.load("fsrcnn", 3, weights_dir=tmp_path)


def test_weights_of_another_architecture_give_clear_error(tmp_path):
    # espcn x2 weights registered (with a correct sha) as espcn x3: shapes differ
    espcn2 = build_model("espcn", 2)
    path = tmp_path / "espcn_x3.weights.h5"
    espcn2.save_weights(str(path))
    pretrained.register_weights(path, "espcn", 3, kwargs={})
    with pytest.raises(ValueError, match="cannot load espcn_x3.weights.h5 into espcn_x3"):
        pretrained.load("espcn", 3, weights_dir=tmp_path)
    # and a file that is not HDF5 at all
    path = tmp_path / "srcnn_x3.weights.h5"
    path.write_bytes(b"not an hdf5 file" * 10)
    pretrained.register_weights(path, "srcnn", 3)
    with pytest.raises(ValueError, match="cannot load"):
        pretrained.load("srcnn", 3, weights_dir=tmp_path)


def test_bad_arguments(tmp_path):
    for call, message in ((lambda: pretrained.load("edsr", 2), "unknown model 'edsr'; choose one of srcnn"),
                          (lambda: pretrained.load("srcnn", 1), "scale must be an integer factor >= 2"),
                          (lambda: pretrained.load("srcnn", 2.5), "scale must be an integer factor .* got 2.5"),
                          (lambda: pretrained.weights_filename("srcnn", "3"), "scale must be .* got '3'")):
        with pytest.raises(ValueError, match=message):
            call()
    path = tmp_path / "wrong_name.weights.h5"
    build_model("srcnn", 2).save_weights(str(path))
    with pytest.raises(ValueError, match="must be named 'srcnn_x2.weights.h5'"):
        pretrained.register_weights(path, "srcnn", 2)
    with pytest.raises(ValueError, match="not a fsrcnn x2"):
        pretrained.save_shipped(build_model("espcn", 2), "fsrcnn", 2, tmp_path)
    (tmp_path / "manifest.json").write_text("[1, 2]")
    with pytest.raises(ValueError, match="must map file names"):
        pretrained.available(tmp_path)
    (tmp_path / "manifest.json").write_text("{not json")
    with pytest.raises(ValueError, match="not valid JSON"):
        pretrained.read_manifest(tmp_path / "manifest.json")


def test_load_weights_file(tmp_path):
    model = build_model("fsrcnn", 3, m=2)
    path = tmp_path / "mine.weights.h5"
    model.save_weights(str(path))
    assert pretrained.write_identity(path, "fsrcnn", 3, {"m": 2}) == tmp_path / "mine.identity.json"
    loaded = pretrained.load_weights_file(path, "fsrcnn", 3, m=2)
    x = np.zeros((1, 5, 5, 1), np.float32) + 0.5
    np.testing.assert_array_equal(_run(model, x), _run(loaded, x))
    with pytest.raises(FileNotFoundError, match="no weights file .*absent.weights.h5"):
        pretrained.load_weights_file(tmp_path / "absent.weights.h5", "fsrcnn", 3)
    with pytest.raises(ValueError, match=r"records kwargs \{'m': 2\}"):
        pretrained.load_weights_file(path, "fsrcnn", 3)
    with pytest.raises(ValueError, match="cannot load"):  # shapes are checked even without verification
        pretrained.load_weights_file(path, "fsrcnn", 3, verify=False)


def test_weights_of_another_scale_are_refused_although_the_shapes_match(tmp_path):
    # SRCNN's shapes do not depend on the scale: x2 weights used to load silently as x3
    path = tmp_path / "srcnn_x2.weights.h5"
    build_model("srcnn", 2).save_weights(str(path))
    pretrained.write_identity(path, "srcnn", 2)
    assert pretrained.load_weights_file(path, "srcnn", 2).name.endswith("x2")
    with pytest.raises(ValueError, match=r"holds other weights than requested: .* records scale 2 \(you asked for 3\)"):
        pretrained.load_weights_file(path, "srcnn", 3)
    assert pretrained.load_weights_file(path, "srcnn", 3, verify=False).name.endswith("x3")  # explicit opt-out


def test_a_flipped_byte_is_refused_on_the_load_weights_file_path(tmp_path):
    path = tmp_path / "espcn_x2.weights.h5"
    build_model("espcn", 2).save_weights(str(path))
    pretrained.write_identity(path, "espcn", 2)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="corrupt or was replaced after saving"):
        pretrained.load_weights_file(path, "espcn", 2)


def test_weights_without_an_identity_record_are_refused_with_the_remedy(tmp_path):
    path = tmp_path / "found.weights.h5"
    build_model("espcn", 2).save_weights(str(path))
    with pytest.raises(ValueError, match=r"no identity record .*write_identity.*verify=False"):
        pretrained.load_weights_file(path, "espcn", 2)
    with pytest.raises(ValueError, match="verify must be True or False"):
        pretrained.load_weights_file(path, "espcn", 2, verify="no")
    shipped = pretrained.WEIGHTS_DIR / "espcn_x3.weights.h5"  # the shipped files: the manifest is their record
    assert pretrained.load_weights_file(shipped, "espcn", 3).name.endswith("x3")


def test_a_missing_weights_folder_is_named_as_missing(tmp_path):
    with pytest.raises(pretrained.WeightsNotFoundError, match=r"weights folder '/nope' does not exist"):
        pretrained.load("espcn", 3, weights_dir="/nope")
    with pytest.raises(ValueError, match="out_dir must be a folder path .*WEIGHTS_DIR"):
        pretrained.save_shipped(build_model("espcn", 2), "espcn", 2, None)


def test_training_command_names_registered_datasets():
    assert pretrained.training_command("srcnn", 3) == "python -m srlib train srcnn --scale 3 --data T91 --out srlib/weights"
    assert pretrained.training_command("fsrcnn", 2, "runs") == ("python -m srlib train fsrcnn --scale 2 "
                                                               "--data T91 General100 --out runs")
    for command in (pretrained.training_command(name, 4) for name in ("srcnn", "fsrcnn", "espcn")):
        assert "../" not in command  # no path that exists only on the developers' machine


def test_scales_without_shipped_weights_are_refused_before_any_remedy():
    """``upscale('srcnn', img, 5)`` must not advise ``train --scale 5``, which train refuses."""
    with pytest.raises(ValueError, match=r"scale must be one of \(2, 3, 4\), got 5"):
        pretrained.load("srcnn", 5)
    with pytest.raises(ValueError, match=r"scale must be one of \(2, 3, 4\), got 5"):
        pretrained.training_command("srcnn", 5)


SHIPPED = pretrained.read_manifest()


def test_shipped_manifest_is_consistent():
    for filename, entry in SHIPPED.items():
        assert filename == pretrained.weights_filename(entry.get("method", entry["model"]), entry["scale"])
        assert (pretrained.WEIGHTS_DIR / filename).is_file(), f"{filename} listed but missing"
        assert len(entry["sha256"]) == 64


@pytest.mark.parametrize("filename", sorted(SHIPPED))
def test_every_shipped_weight_file_loads_and_upscales(filename):
    from srlib.inference import upscale_with_model

    entry = SHIPPED[filename]
    model = pretrained.load(entry.get("method", entry["model"]), entry["scale"])
    image = np.full((8, 9, 3), 128, np.uint8)
    out = upscale_with_model(model, image, entry["scale"])
    assert out.shape == (8 * entry["scale"], 9 * entry["scale"], 3)


IN_DOMAIN = pretrained.read_manifest(pretrained.WEIGHTS_DIR / "eurosat" / "manifest.json")


def test_in_domain_weights_ship_with_cards_and_their_validation_numbers():
    """srlib/weights/eurosat: the study's in-domain SR models (lesson 07), fine-tuned from the shipped ones."""
    from srlib.study import IN_DOMAIN_METHODS, IN_DOMAIN_WEIGHTS

    assert sorted(IN_DOMAIN) == sorted(f"{m.split('_')[0]}_x{s}.weights.h5" for m in IN_DOMAIN_METHODS for s in (2, 4))
    for filename, entry in IN_DOMAIN.items():
        stem = filename[:-len(".weights.h5")]
        card = (IN_DOMAIN_WEIGHTS / f"{stem}.md").read_text()
        assert "EuroSAT *training* split" in card and "--init-weights" in card and (
            IN_DOMAIN_WEIGHTS / "logs" / f"{stem}.log.csv").is_file()
        tuned, natural = entry["metrics"]["EuroSAT-validation"], entry["metrics"]["EuroSAT-validation_natural_photo_model"]
        assert tuned["images"] == natural["images"] == 1890
        assert tuned["psnr"] > natural["psnr"] > tuned["bicubic_psnr"], "recorded: in-domain > natural > bicubic"
        assert pretrained.sha256_file(IN_DOMAIN_WEIGHTS / filename) == entry["sha256"]


@pytest.mark.parametrize("scale", [2, 4])
def test_in_domain_models_beat_bicubic_on_bundled_eurosat_images(scale):
    import srlib
    from srlib.data import eurosat, make_lr
    from srlib.study import IN_DOMAIN_WEIGHTS

    images = eurosat.read_eurosat(eurosat.eurosat_splits(limit_per_class=1)["validation"])  # 10 bundled scenes
    model = pretrained.load("fsrcnn", scale, weights_dir=IN_DOMAIN_WEIGHTS)
    natural = pretrained.load("fsrcnn", scale)
    gains, differs = [], False
    for hr in images:
        lr = make_lr(hr, scale)
        tuned = srlib.upscale(model, lr, scale)
        differs |= not np.array_equal(tuned, srlib.upscale(natural, lr, scale))
        gains.append(srlib.psnr(hr, tuned, border=scale) - srlib.psnr(hr, srlib.upscale("bicubic", lr, scale),
                                                                       border=scale))
    assert differs and np.mean(gains) > 0.2
