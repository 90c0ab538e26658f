"""A short database outage does not log the clerks out.

Odoo 11's dispatcher checks the registry of the session's database before each
request and, on any psycopg2.OperationalError there, logs the session out and
answers as if the database were gone (odoo/http.py, Root.dispatch): a
PostgreSQL restart or failover of a few seconds sends every clerk who clicked
meanwhile back to the login page, and a client that does not log in again
fails until it does. That except clause is meant for a database that no longer
exists. Here a connection that fails because the server is down, starting or
stopping answers 503 ("try again") instead, and the session stays; a
database that does not exist still logs out as before.
"""

import logging

import psycopg2
import werkzeug.exceptions

from odoo.modules.registry import Registry

_logger = logging.getLogger(__name__)

# 08: connection exceptions; 57P: the server shutting down, crashed, starting
UNREACHABLE_PGCODES = ("08", "57P")


def unreachable(error):
    """Whether ``error`` says the server could not be reached, rather than
    that the database is missing or broken. A failed connection carries no
    SQL state: its message tells a missing database (PostgreSQL's messages
    are English unless lc_messages says otherwise)."""
    code = error.pgcode
    if code is None:
        return "does not exist" not in str(error)
    return code.startswith(UNREACHABLE_PGCODES)


class DatabaseUnreachable(werkzeug.exceptions.ServiceUnavailable):
    description = "The database is not reachable for a moment. Try again."


def outage_aware(original):
    """``original`` (Registry.check_signaling), raising DatabaseUnreachable
    instead of the error of a server that cannot be reached."""

    def check_signaling(self):
        try:
            return original(self)
        except psycopg2.OperationalError as error:
            if not unreachable(error):
                raise
            _logger.warning("database %s unreachable: %s", self.db_name, error)
            raise DatabaseUnreachable()

    check_signaling.r2_crm_outage = True
    return check_signaling


def patch_registry_signaling():
    """Wrap Registry.check_signaling once per process."""
    if not getattr(Registry.check_signaling, "r2_crm_outage", False):
        Registry.check_signaling = outage_aware(Registry.check_signaling)
