"""11.0.1.8.0 (issue #25): the user's field ``r2_crm_department`` holds a
purpose (sales, service, other) and is now called ``r2_crm_purpose``.

Renamed before the update loads the model, so that the values, the field's
record and its translations are kept rather than dropped and re-created."""

OLD = "r2_crm_department"
NEW = "r2_crm_purpose"


def migrate(cr, version):
    cr.execute(
        "SELECT 1 FROM information_schema.columns "
        "WHERE table_name = 'res_users' AND column_name = %s",
        (OLD,),
    )
    if not cr.fetchone():
        return
    cr.execute(
        "ALTER TABLE res_users RENAME COLUMN r2_crm_department TO r2_crm_purpose"
    )
    cr.execute(
        "UPDATE ir_model_fields SET name = %s WHERE model = 'res.users' AND name = %s",
        (NEW, OLD),
    )
    cr.execute(
        "UPDATE ir_model_data SET name = %s WHERE module = 'r2_crm' AND name = %s",
        ("field_res_users_" + NEW, "field_res_users_" + OLD),
    )
    cr.execute(
        "UPDATE ir_translation SET name = %s WHERE name = %s",
        ("res.users," + NEW, "res.users," + OLD),
    )
