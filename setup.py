"""The wheel ships the files the code reads (ontology, saved queries, reference data) inside
the package, as `edugraph/_data/<name>`, where `edugraph.resources` finds them. The repository
keeps them at its top level; an editable install reads them there."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SHIPPED = {"ontology": "ontology", "queries": "queries", "reference": "data/reference"}


class BuildWithData(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        here = Path(__file__).resolve().parent
        for name, folder in SHIPPED.items():
            target = Path(self.build_lib) / "edugraph" / "_data" / name
            shutil.copytree(here / folder, target, dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildWithData})
