"""What the migrations (migrations/<version>/post-migration.py) share.

Noupdate data (rules, results, sequences, automated actions) is not rewritten
by an update: a migration rewrites it, but only where the shop left it as it
was shipped. A value the shop changed is the shop's.
"""


def rewrite_noupdate(env, xmlid, field, old, new):
    """Set ``field`` of the noupdate record ``xmlid`` to ``new`` where it
    still holds ``old``; True when it was written."""
    record = env.ref(xmlid, raise_if_not_found=False)
    if record and record[field] == old:
        record[field] = new
        return True
    return False
