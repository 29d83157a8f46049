"""`pip install .` gives a kg that works outside the source tree: data files travel in the wheel."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

from helpers import FIVE_ARTICLES

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_installs_and_builds_in_another_folder(tmp_path, built):
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        check=True,
        timeout=300,
    )
    [wheel] = wheels.glob("kg-*.whl")
    env_dir = tmp_path / "env"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    # the dependencies come from the test environment (a plain path entry: its own .pth files,
    # such as kg's editable install, are not processed); kg itself only from the wheel
    inner = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(inner, "test-deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel)],
        check=True,
        timeout=300,
    )
    project = tmp_path / "project"
    shutil.copytree(FIVE_ARTICLES, project / "seeds")
    where = subprocess.run(
        [
            str(python),
            "-c",
            "import kg, kg.resources as r; print(kg.__file__); print(r.shapes_file())",
        ],
        cwd=project,
        capture_output=True,
        text=True,
        check=True,
    )
    module, shapes = where.stdout.split()
    assert module.startswith(str(env_dir)) and shapes.startswith(str(env_dir))
    result = subprocess.run(
        [str(env_dir / "bin" / "kg"), "build"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "SHACL violations: 0" in result.stdout
    # the packaged ontology and shapes are the source tree's: same graph, byte for byte
    assert (project / "build" / "kg.ttl").read_bytes() == (built.out_dir / "kg.ttl").read_bytes()
