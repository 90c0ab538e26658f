"""Switching from R2faktury in the real web client, as the demo's CRM manager
(admin, in Polish): the sample cases are imported, the sample KONTAKTY read in
a dry run that writes nothing, then imported for real."""

from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from e2e.browser import (
    import_sample,
    login,
    severe_console_errors,
    wait_css,
    wait_for_view,
)


def figures(modal):
    return [
        modal.find_element(By.CSS_SELECTOR, "[name='%s']" % name).text
        for name in ("line_count", "created_count", "updated_count", "error_count")
    ]


def contacts_named(driver, base_url, subject):
    driver.get(
        base_url + "/web#model=r2.crm.contact&view_type=list"
        "&action=r2_crm.r2_crm_contact_action"
    )
    driver.refresh()
    wait_for_view(driver, ".o_list_view")
    search = wait_css(driver, ".o_searchview_input")
    search.send_keys(subject)
    search.send_keys("\n")
    wait_css(driver, ".o_searchview_facet")

    def searched(driver):
        """(the filtered list's rows,), or ([],) for the help an empty list
        shows; None while the unfiltered list is still there."""
        if driver.find_elements(By.CSS_SELECTOR, ".oe_view_nocontent"):
            return ([],)
        rows = [
            row.text
            for row in driver.find_elements(By.CSS_SELECTOR, ".o_list_view .o_data_row")
        ]
        return (rows,) if rows and all(subject in row for row in rows) else None

    # the list re-renders under the search: a row read as it is replaced is
    # stale, and the next poll reads the new one
    return WebDriverWait(
        driver, 30, ignored_exceptions=(StaleElementReferenceException,)
    ).until(searched)[0]


def test_the_manager_imports_the_samples_after_a_dry_run(driver, base_url):
    login(driver, base_url, "admin", "admin")
    wait_for_view(driver, ".o_control_panel")
    cases = import_sample(driver, base_url, "cases", "sprawy_wzor.csv", dry_run=False)
    assert figures(cases) == ["5", "5", "0", "0"], cases.text

    dry = import_sample(driver, base_url, "contacts", "kontakty_wzor.csv")
    assert figures(dry) == ["7", "7", "0", "0"], dry.text
    assert "Próbny odczyt: nic nie zapisano" in dry.text, dry.text
    assert "Wiersz 5: użytkownik Jan Nowicki jest nieznany w Odoo" in dry.text
    subject = "Zadzwonić po części do dystrybutora"
    assert contacts_named(driver, base_url, subject) == [], "a dry run writes nothing"

    dry = import_sample(driver, base_url, "contacts", "kontakty_wzor.csv")
    dry.find_element(By.CSS_SELECTOR, "button[name='action_import_for_real']").click()
    WebDriverWait(
        driver, 60, ignored_exceptions=(StaleElementReferenceException,)
    ).until(
        lambda driver: "Zaimportowano:"
        in driver.find_element(By.CSS_SELECTOR, ".modal").text
    )
    done = driver.find_element(By.CSS_SELECTOR, ".modal")
    assert figures(done) == ["7", "7", "0", "0"], done.text
    assert "Zaimportowano: utworzono rekordów: 7" in done.text, done.text
    # Back keeps the file, and the next run is a dry run again
    done.find_element(By.CSS_SELECTOR, "button[name='action_back']").click()
    WebDriverWait(
        driver, 30, ignored_exceptions=(StaleElementReferenceException,)
    ).until(
        lambda driver: driver.find_element(
            By.CSS_SELECTOR, ".modal div[name='dry_run'] input"
        ).is_selected()
    )
    rows = contacts_named(driver, base_url, subject)
    assert len(rows) == 1 and "SRV/2026/00118" in rows[0], rows
    assert severe_console_errors(driver) == []
