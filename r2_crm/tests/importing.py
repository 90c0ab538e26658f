"""What the import tests share (test_import.py, test_import_files.py): the
sample files, spreadsheets made from them or by hand, and the CRM manager who
imports."""

import base64
import csv
import io
import os
import re
import zipfile
from datetime import datetime

import openpyxl

from odoo.exceptions import UserError
from odoo.modules.module import get_module_resource

from .. import r2faktury
from .common import R2CrmTestCase

SAMPLES = get_module_resource("r2_crm", "static", "import")


def sample(name):
    with open(os.path.join(SAMPLES, name), "rb") as fp:
        return fp.read()


def as_xlsx(data):
    """The CSV sample saved as a spreadsheet, its dates as dates."""
    book = openpyxl.Workbook()
    text = data.decode("utf-8-sig")
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=";"):
        cells = []
        for cell in row:
            try:
                cells.append(datetime.strptime(cell, "%d.%m.%Y"))
            except ValueError:
                cells.append(cell)
        book.active.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


class ImportCase(R2CrmTestCase):
    @classmethod
    def setUpClass(cls):
        super(ImportCase, cls).setUpClass()
        cls.install_polish()
        cls.Wizard = cls.env["r2.crm.import.wizard"]

    def run_import(self, kind, data, filename="export.csv", user=None, **options):
        values = {
            "kind": kind,
            "data_file": base64.b64encode(data),
            "filename": filename,
            "dry_run": False,
            "create_partners": True,
        }
        values.update(options)
        wizard = self.Wizard.sudo(user or self.manager).create(values)
        wizard.action_import()
        return wizard

    def import_samples(self, encode=lambda data: data, filename="export.csv"):
        cases = self.run_import(
            r2faktury.CASES, encode(sample("sprawy_wzor.csv")), filename
        )
        contacts = self.run_import(
            r2faktury.CONTACTS, encode(sample("kontakty_wzor.csv")), filename
        )
        return cases, contacts

    def case(self, number):
        return self.Case.search([("name", "=", number)])

    def check_refused(self, data, message, filename="export.csv", **options):
        wizard = self.Wizard.sudo(self.manager).create(
            {
                "kind": options.get("kind", r2faktury.CASES),
                "data_file": base64.b64encode(data),
                "filename": filename,
                "dry_run": False,
                "create_partners": True,
            }
        )
        self.assertRefusedAndNothingSaved(UserError, message, wizard.action_import)
        self.assertEqual(wizard.state, "draft")

    def figures(self, wizard):
        return (
            wizard.line_count,
            wizard.created_count,
            wizard.updated_count,
            wizard.error_count,
        )


def xlsx_with(rows, extra_row_xml="", dimension=None):
    """A spreadsheet of ``rows`` (openpyxl), then its sheet's XML changed as a
    hand-made or hostile file would have it: ``extra_row_xml`` appended to the
    sheet's data, ``dimension`` declared instead of the real range."""
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    made = io.BytesIO()
    book.save(made)
    source = zipfile.ZipFile(io.BytesIO(made.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = data.decode().replace(
                    "</sheetData>", extra_row_xml + "</sheetData>"
                )
                if dimension:
                    text = re.sub(
                        r'<dimension ref="[^"]*"\s*/>',
                        '<dimension ref="%s"/>' % dimension,
                        text,
                    )
                data = text.encode()
            target.writestr(item, data)
    return out.getvalue()


CASE_HEADER = ["Numer", "Cel", "Klient", "Data otwarcia", "Wartość", "Opis"]
