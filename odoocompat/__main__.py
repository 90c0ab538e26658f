"""``python -m odoocompat [odoo arguments]``: odoo-bin under the patches, for a
Python without ``odoocompat.pth`` (the virtualenv's ``odoo`` command needs none)."""

import odoocompat

odoocompat.apply()

import odoo  # noqa: E402  (must come after the patches)

if __name__ == "__main__":
    odoo.cli.main()
