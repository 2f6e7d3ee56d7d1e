"""Build hook: copy the top-level ``models/`` and ``resources/`` into the wheel.

The source tree keeps weights and resources at the top level (where artists and reviewers look for
them); an installed wheel needs them inside the package, as ``paintassist/_data/``.
``paintassist.paths`` finds them in either place, and in a frozen bundle.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildPyWithData(build_py):
    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "paintassist" / "_data"
        for name in ("models", "resources"):
            src = ROOT / name
            if src.is_dir():
                dst = target / name
                if dst.exists():
                    shutil.rmtree(dst)
                # models/training/ holds resumable training checkpoints: not shipped.
                ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "training")
                shutil.copytree(src, dst, ignore=ignore)


setup(cmdclass={"build_py": BuildPyWithData})
