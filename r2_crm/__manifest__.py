# Copyright 2026 r2_crm authors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "CRM (R2)",
    "summary": "Contacts, service cases, sales contracts and campaigns "
    "in the manner of R2faktury's CRM module",
    "version": "11.0.1.12.0",
    "category": "Sales",
    "author": "r2_crm authors",
    "website": "https://r2crm.invalid/r2_crm",
    "license": "LGPL-3",
    "images": ["static/description/r2_crm_cases.png"],
    # the printed protocols are rendered by wkhtmltopdf
    # openpyxl reads the XLSX exports of R2faktury (r2.crm.import.wizard)
    "external_dependencies": {"bin": ["wkhtmltopdf"], "python": ["openpyxl"]},
    # l10n_pl: made for Polish firms; it loads the Polish chart of accounts
    # (PLN, VAT 23%) into a company that has none yet, such as a new one.
    # portal: the customers' pages (/my/cases), and jSignature in the common
    # assets
    "depends": [
        "base_automation",
        "mail",
        "portal",
        "product",
        "account_invoicing",
        "l10n_pl",
    ],
    "data": [
        "security/r2_crm_security.xml",
        "security/ir.model.access.csv",
        "data/r2_crm_data.xml",
        "data/r2_crm_mail_data.xml",
        "data/r2_crm_mail_templates.xml",
        "data/r2_crm_cron.xml",
        "views/r2_crm_contact_views.xml",
        "views/r2_crm_case_views.xml",
        "views/r2_crm_result_views.xml",
        "views/r2_crm_level_views.xml",
        "views/r2_crm_failure_reason_views.xml",
        "views/r2_crm_case_fiasco_wizard_views.xml",
        "views/r2_crm_case_wait_wizard_views.xml",
        "views/r2_crm_contact_sign_wizard_views.xml",
        "views/r2_crm_case_quote_wizard_views.xml",
        "views/r2_crm_device_views.xml",
        "views/r2_crm_import_wizard_views.xml",
        "views/r2_crm_campaign_views.xml",
        "views/r2_crm_campaign_period_wizard_views.xml",
        "views/r2_crm_campaign_report_views.xml",
        "views/res_users_views.xml",
        "views/res_company_views.xml",
        "views/res_partner_views.xml",
        "views/account_invoice_views.xml",
        "views/ir_sequence_views.xml",
        "views/r2_crm_assets.xml",
        "views/r2_crm_menus.xml",
        "views/r2_crm_privacy_views.xml",
        "views/r2_crm_portal_templates.xml",
        "report/r2_crm_quote_templates.xml",
        "report/r2_crm_protocol_templates.xml",
        "report/r2_crm_protocol_reports.xml",
    ],
    "demo": ["demo/r2_crm_demo.xml"],
    "post_init_hook": "post_init_hook",
    "uninstall_hook": "uninstall_hook",
    "application": True,
}
