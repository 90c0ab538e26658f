"""11.0.1.2.0: case numbers restart every year (issue #13).

The sequences are noupdate data, which an update does not rewrite: they get
yearly ranges here, and each year's range continues after the highest number
the cases of that year already carry, so that no number is drawn twice.
"""

from odoo import SUPERUSER_ID, api

SEQUENCES = (
    "r2_crm.r2_crm_sequence_case_service",
    "r2_crm.r2_crm_sequence_case_sale",
    "r2_crm.r2_crm_sequence_case_other",
)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid in SEQUENCES:
        sequence = env.ref(xmlid, raise_if_not_found=False)
        if sequence and not sequence.use_date_range:
            sequence.write(
                {
                    "use_date_range": True,
                    "prefix": (sequence.prefix or "").replace(
                        "%(year)s", "%(range_year)s"
                    ),
                }
            )
    env["r2.crm.case"]._r2_crm_sync_number_ranges()
    env["res.lang"]._r2_crm_polish_formats()
