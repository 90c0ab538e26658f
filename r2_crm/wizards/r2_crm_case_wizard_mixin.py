from odoo import fields, models


class R2CrmCaseWizardMixin(models.AbstractModel):
    """What the wizards on the selected cases share (fiasco, wait): the cases
    they act on, taken from the list or form they were opened from."""

    _name = "r2.crm.case.wizard.mixin"
    _description = "A wizard on the selected cases"

    def _default_case_ids(self):
        if self.env.context.get("active_model") == "r2.crm.case":
            return [(6, 0, self.env.context.get("active_ids", []))]
        return []

    case_ids = fields.Many2many(
        "r2.crm.case",
        string="Cases",
        readonly=True,
        default=lambda self: self._default_case_ids(),
    )
