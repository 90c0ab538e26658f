"""Run Odoo 11.0 on Python 3.11.

Odoo 11 was written for Python 3.5-3.7.  Each patch below restores one thing
Python 3.11 (or a current library) removed or tightened.  ``apply()`` must run
before ``odoo`` is imported; the launcher (``python -m odoocompat``) does that.
The r2_crm addon never imports this package.
"""

from . import odoo_patches, stdlib_patches
from .importhook import after_import

_applied = False


def apply():
    """Apply every patch once.  Safe to call several times."""
    global _applied
    if _applied:
        return
    stdlib_patches.apply()
    after_import("odoo.tools.safe_eval", odoo_patches.patch_safe_eval_opcodes)
    after_import("odoo.addons.base.ir.ir_qweb.qweb", odoo_patches.patch_qweb_compile)
    after_import("odoo.addons.web.controllers.main", odoo_patches.patch_concat_xml)
    _applied = True
