import odoocompat

# The patches must be in place before anything imports odoo.
odoocompat.apply()
