"""Cross-layer: reports sealed in Chromium (wasm) and in Kotlin (uniffi/JVM) for the run's receiver
key open in Python and with the `indicia` CLI. scripts/test runs the browser and Kotlin tests first;
they leave their output in INDICIA_CROSS_DIR. A missing artifact fails the test, so a layer that
silently sealed nothing cannot pass here."""

import os
import pathlib
import subprocess

import pytest

import indicia_core as model
import indicia_uniffi as indicia
from conftest import cli_path

CROSS_DIR = os.environ.get("INDICIA_CROSS_DIR") or None  # empty: `scripts/test python` alone
pytestmark = pytest.mark.skipif(CROSS_DIR is None, reason="needs every layer: run by scripts/test with no arguments")

PRODUCERS = ["chromium", "kotlin"]


def artifact(name: str) -> pathlib.Path:
    path = pathlib.Path(CROSS_DIR) / name
    assert path.exists(), f"{name} is missing: the layer that should have written it did not run or sealed nothing"
    return path


@pytest.mark.parametrize("producer", PRODUCERS)
def test_sealed_report_opens_in_python(producer):
    sealed = artifact(f"{producer}.age").read_bytes()
    expected = artifact(f"{producer}.txt").read_text(encoding="utf-8")
    identity = artifact("receiver.key").read_text()
    assert expected.encode() not in sealed
    assert indicia.open(sealed, identity).decode("utf-8") == expected


@pytest.mark.parametrize("producer", PRODUCERS)
def test_sealed_report_opens_with_the_cli(producer):
    result = subprocess.run(
        [str(cli_path()), "open", "-i", str(artifact("receiver.key")), str(artifact(f"{producer}.age"))],
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode("utf-8") == artifact(f"{producer}.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("producer", PRODUCERS)
def test_sealed_report_opens_with_go_age(producer):
    result = subprocess.run(
        ["age", "-d", "-i", str(artifact("receiver.key")), str(artifact(f"{producer}.age"))],
        capture_output=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode("utf-8") == artifact(f"{producer}.txt").read_text(encoding="utf-8")
