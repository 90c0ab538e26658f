"""Run at interpreter start by ``odoocompat.pth``: patch when odoo is imported.

Every Python process of the virtualenv runs this (pip, flake8, pytest), so it
does nothing but register an import hook; the patches load only with odoo.
"""

from .importhook import before_import


def _apply(_spec):
    from . import apply

    apply()


before_import("odoo", _apply)
