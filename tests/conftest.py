"""Shared fixtures: the five-article build (once per session), a scratch copy of the five
articles' seeds, and a user's project folder holding them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import FIVE_ARTICLES as SEEDS


@pytest.fixture(scope="session")
def built(tmp_path_factory):
    """The real build of the five seed articles."""
    import kg

    return kg.build(SEEDS, tmp_path_factory.mktemp("build"))


@pytest.fixture(scope="session")
def graph(built):
    return built.graph


@pytest.fixture
def seeds(tmp_path) -> Path:
    """A writable copy of seeds/ to break on purpose."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture
def project(tmp_path, monkeypatch, built) -> Path:
    """A folder with seeds/ and the session's build/, as a user's would be, as the working
    directory."""
    shutil.copytree(SEEDS, tmp_path / "seeds")
    shutil.copytree(built.out_dir, tmp_path / "build")
    monkeypatch.chdir(tmp_path)
    return tmp_path
