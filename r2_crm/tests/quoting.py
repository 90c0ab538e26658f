"""What the tests of the repair quote share (#26): a Polish shop with a VAT
rate, labour by the hour and a part, and a repair taken in by the service
clerk."""

from .common import R2CrmPolishCase


class QuoteCase(R2CrmPolishCase):
    serials = 0  # each repair's device has a serial number of its own

    @classmethod
    def setUpClass(cls):
        super(QuoteCase, cls).setUpClass()
        cls.company = cls.env.user.company_id
        cls.company.email = "serwis@r2.test"
        cls.vat = cls.env["account.tax"].create(
            {
                "name": "VAT-23% (test)",
                "amount": 23.0,
                "type_tax_use": "sale",
                "company_id": cls.company.id,
            }
        )
        cls.labour = cls.env["product.product"].create(
            {
                "name": "Robocizna serwisowa",
                "type": "service",
                "uom_id": cls.env.ref("product.product_uom_hour").id,
                "uom_po_id": cls.env.ref("product.product_uom_hour").id,
                "lst_price": 120.0,
                "taxes_id": [(6, 0, cls.vat.ids)],
            }
        )
        cls.part = cls.env["product.product"].create(
            {
                "name": "Klawiatura T480",
                "type": "consu",
                "lst_price": 189.0,
                "taxes_id": [(6, 0, cls.vat.ids)],
            }
        )

    def repair(self, lines=True, user=None, **values):
        """A repair the clerk took in (S1), with a part and two hours of
        labour (net 429.00, VAT 98.67, gross 527.67) unless ``lines`` is
        false."""
        user = user or self.service_clerk
        QuoteCase.serials += 1
        values.setdefault("device_serial", "PF-%d" % QuoteCase.serials)
        case = self.note(user, result_id=self.s1.id, **values).case_id
        case = case.sudo(user).with_context(lang=user.lang)  # the clerk's Polish
        if lines:
            self.add_line(case, self.part, 1)
            self.add_line(case, self.labour, 2)
        return case

    @staticmethod
    def add_line(case, product, quantity, name=None, price=None):
        """A line as the case's form adds it: product, description, quantity
        and price (the taxes are the product's by default)."""
        case.write(
            {
                "line_ids": [
                    (
                        0,
                        0,
                        {
                            "product_id": product.id,
                            "name": name or product.name,
                            "quantity": quantity,
                            "price_unit": product.lst_price if price is None else price,
                        },
                    )
                ]
            }
        )
        return case.line_ids[-1]

    def answer(self, case, accept=True, user=None, **values):
        """The customer's answer recorded at the counter, in the quote wizard."""
        user = user or self.service_clerk
        case = case.sudo(user).with_context(lang=user.lang)
        action = case.action_quote_accept() if accept else case.action_quote_reject()
        wizard = (
            case.env["r2.crm.case.quote.wizard"]
            .with_context(**action["context"])
            .create(values)
        )
        return wizard.action_confirm()

    def tasks(self, case):
        return case.sudo().contact_ids.filtered(lambda entry: entry.type == "task")
