"""A database that cannot be reached answers 503 and keeps the session; one
that no longer exists still logs out (faults/test_postgres_restart.py shows
the clerk's session through a real PostgreSQL crash)."""

import unittest
from types import SimpleNamespace

import psycopg2

from odoo.modules.registry import Registry

from ..database_outage import DatabaseUnreachable, outage_aware, unreachable


class TestDatabaseOutage(unittest.TestCase):
    def test_a_server_down_is_unreachable_a_missing_database_is_not(self):
        for message in (
            "server closed the connection unexpectedly",
            'connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" '
            "failed: No such file or directory",
            "FATAL:  the database system is starting up",
        ):
            self.assertTrue(unreachable(psycopg2.OperationalError(message)), message)
        missing = psycopg2.OperationalError('FATAL:  database "gone" does not exist')
        self.assertFalse(unreachable(missing))

    def test_the_registry_check_answers_503_while_unreachable(self):
        self.assertTrue(Registry.check_signaling.r2_crm_outage, "patched")
        registry = SimpleNamespace(db_name="r2")

        def failing(message):
            def check(registry):
                raise psycopg2.OperationalError(message)

            return outage_aware(check)

        with self.assertRaises(DatabaseUnreachable) as caught:
            failing("server closed the connection unexpectedly")(registry)
        self.assertEqual(caught.exception.code, 503)
        # a missing database: Odoo's own handling (log out) as before
        with self.assertRaises(psycopg2.OperationalError):
            failing('FATAL:  database "r2" does not exist')(registry)
        self.assertIs(outage_aware(lambda registry: registry)(registry), registry)
