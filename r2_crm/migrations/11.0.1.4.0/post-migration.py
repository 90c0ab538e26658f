"""11.0.1.4.0: the customer hears of S1 and S2 by e-mail (issue #15).

S1 and S2 are noupdate data, which an update does not rewrite: they start
e-mailing the customer here, as on a new database. A shop that does not want
it unticks "E-mail the customer" on the result. Each case's access token is
filled by r2.crm.case._init_column when the column appears.
"""

from odoo import SUPERUSER_ID, api

RESULTS = ("r2_crm.result_s1", "r2_crm.result_s2")


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid in RESULTS:
        result = env.ref(xmlid, raise_if_not_found=False)
        if result:
            result.notify_customer = True
