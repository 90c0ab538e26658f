"""The service half earns money (#26), in the real web client: the demo
service clerk sends a repair quote, the demo customer accepts it on the
portal with a signature drawn on the pad, the clerk closes the case with S2
and invoices it."""

import os
import re
import time
import xmlrpc.client

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from e2e.browser import (
    click_button,
    draw_stroke,
    fill,
    login,
    pick_many2one,
    severe_console_errors,
    wait_css,
    wait_for_view,
)

DB = os.environ.get("R2CRM_E2E_DB", "r2crm_test")
SERVICE_LOGIN = ("serwis", "serwis")
PORTAL_LOGIN = ("klient", "klient")


def rpc(base_url, login_name, password):
    """execute_kw as ``login_name`` over XML-RPC, as an integrator calls it."""
    uid = xmlrpc.client.ServerProxy(base_url + "/xmlrpc/2/common").authenticate(
        DB, login_name, password, {}
    )
    models = xmlrpc.client.ServerProxy(base_url + "/xmlrpc/2/object")

    def call(model, method, *args, **kwargs):
        return models.execute_kw(DB, uid, password, model, method, list(args), kwargs)

    return call


def intake(call, name, goods, serial_prefix):
    """Goods of the demo customer taken in (S1) by the clerk over RPC (``call``
    is rpc()'s); the case's id."""
    partner = call(
        "res.partner", "search", [("name", "=", "Kowalski i Syn Sp. z o.o.")]
    )[0]
    s1 = call("r2.crm.result", "search", [("code", "=", "S1")])[0]
    note = call(
        "r2.crm.contact",
        "create",
        {
            "type": "note",
            "purpose": "service",
            "partner_id": partner,
            "name": name,
            "item_description": goods,
            "device_serial": "%s-%d" % (serial_prefix, int(time.time())),
            "result_id": s1,
        },
    )
    return call("r2.crm.contact", "read", [note], ["case_id"])[0]["case_id"][0]


def intake_with_parts(base_url):
    """A laptop of the demo customer taken in (S1) by the clerk, with a part
    and an hour of labour; the case's id and number."""
    call = rpc(base_url, *SERVICE_LOGIN)
    case_id = intake(
        call,
        "Laptop do wyceny",
        "Lenovo ThinkPad T480, klawiatura zalana",
        "E2E-QUOTE",
    )
    products = {
        name: call("product.product", "search", [("name", "=", name)])[0]
        for name in ("Klawiatura do Lenovo ThinkPad T480", "Robocizna serwisowa")
    }
    call(
        "r2.crm.case",
        "write",
        [case_id],
        {
            "line_ids": [
                (0, 0, {"product_id": pid, "name": name, "price_unit": price})
                for (name, pid), price in zip(sorted(products.items()), (189.0, 120.0))
            ]
        },
    )
    number = call("r2.crm.case", "read", [case_id], ["name"])[0]["name"]
    return case_id, number


def open_case(driver, base_url, case_id):
    driver.get(base_url + "/web#id=%d&model=r2.crm.case&view_type=form" % case_id)
    wait_css(driver, ".o_form_view.o_form_readonly")
    time.sleep(0.5)


def logout(driver, base_url):
    driver.get(base_url + "/web/session/logout")
    wait_css(driver, "input[name=login], .o_portal, body")


def test_the_customer_accepts_the_quote_on_the_portal_and_the_repair_is_invoiced(
    driver, base_url
):
    case_id, number = intake_with_parts(base_url)

    # the clerk sends the quote: the case waits for the customer
    login(driver, base_url, *SERVICE_LOGIN)
    open_case(driver, base_url, case_id)
    click_button(driver, "Wyślij kosztorys")
    WebDriverWait(driver, 60).until(
        EC.text_to_be_present_in_element(
            (By.CSS_SELECTOR, ".o_form_view [name='quote_state']"), "Wysłany"
        )
    )
    banner = wait_css(driver, ".o_form_view .o_r2crm_banner")
    assert "czeka na klienta" in banner.text, banner.text
    assert severe_console_errors(driver) == []
    logout(driver, base_url)

    # the customer accepts it on the portal, signing with the mouse
    login(driver, base_url, *PORTAL_LOGIN, lands=".o_portal_my_home")
    driver.get(base_url + "/my/cases/%d" % case_id)
    quote = wait_css(driver, ".o_r2crm_portal_quote")
    assert "Kosztorys naprawy" in quote.text, quote.text
    assert "Klawiatura do Lenovo ThinkPad T480" in quote.text
    assert "380,07" in quote.text, "the gross total: (189 + 120) x 1.23"
    draw_stroke(driver, wait_css(driver, ".o_r2crm_quote_pad canvas"))
    name = driver.find_element(By.CSS_SELECTOR, "input[name='name']")
    assert name.get_attribute("value") == "Jan Kowalski", "his own name proposed"
    driver.find_element(By.CSS_SELECTOR, ".o_r2crm_quote_accept_submit").click()
    message = wait_css(driver, ".o_r2crm_portal_message")
    assert "kosztorys został zaakceptowany" in message.text, message.text
    assert "Jan Kowalski" in wait_css(driver, ".o_r2crm_quote_state").text
    assert severe_console_errors(driver) == []
    logout(driver, base_url)

    # the clerk sees the acceptance, closes the case with S2 and invoices it
    login(driver, base_url, *SERVICE_LOGIN)
    open_case(driver, base_url, case_id)
    assert "Zaakceptowany" in wait_css(driver, ".o_form_view [name='quote_state']").text
    image = wait_css(driver, ".o_form_view img.o_r2crm_signature")
    assert image.get_attribute("naturalWidth") not in (None, "0")
    driver.find_element(
        By.XPATH,
        "//div[contains(@class, 'oe_button_box')]//button[contains(., 'Wpisy')]",
    ).click()
    wait_for_view(driver, ".o_list_view")
    click_button(driver, "Utwórz")
    wait_for_view(driver, ".o_form_view.o_form_editable")
    fill(driver, "name", "Wydanie naprawionego laptopa")
    pick_many2one(driver, "result_id", "S2")
    click_button(driver, "Zapisz")
    wait_css(driver, ".o_form_view.o_form_readonly")
    open_case(driver, base_url, case_id)
    assert "sukces" in wait_css(driver, ".o_statusbar_status .btn-primary").text.lower()
    click_button(driver, "Utwórz fakturę")
    total = wait_css(driver, ".o_form_view .oe_subtotal_footer [name='amount_total']")
    assert re.search(r"380,07", total.text), total.text
    assert number in wait_css(driver, ".o_form_view [name='r2_crm_case_id']").text
    assert severe_console_errors(driver) == []
