"""The web client is not blank: log in, open a list view, no console errors."""

from selenium.webdriver.common.by import By

from e2e.browser import (
    assert_no_style_error,
    login,
    open_menu,
    severe_console_errors,
    wait_for_view,
)


def test_login_lands_on_tasks_and_opens_case_list(driver, base_url):
    login(driver, base_url)
    # The home action of an r2_crm user is "My tasks today"; the demo admin
    # works in Polish.
    title = wait_for_view(driver, ".o_control_panel .breadcrumb")
    assert "Moje zadania na dziś" in title.text
    open_menu(driver, "Wszystkie kontrakty i sprawy")
    wait_for_view(driver, ".o_list_view, .o_view_nocontent, .oe_view_nocontent")
    breadcrumb = driver.find_element(By.CSS_SELECTOR, ".o_control_panel .breadcrumb")
    assert "Kontrakty/Sprawy" in breadcrumb.text
    assert driver.find_elements(By.CSS_SELECTOR, ".o_cp_searchview .o_searchview")
    assert_no_style_error(driver)
    # The CSS really applied: the navbar is not an unstyled list.
    navbar = driver.find_element(By.CSS_SELECTOR, "#oe_main_menu_navbar")
    assert navbar.value_of_css_property("position") in ("relative", "fixed", "absolute")
    assert severe_console_errors(driver) == []
