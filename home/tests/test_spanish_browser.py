"""The Spanish site as a reader meets it after `make run`: in a real browser, accessible, and the
contact form working end to end in Spanish."""

import time

import pytest

from conftest import audit_pages, axe_violations
from pages.contacts.models import ContactMessage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SPANISH_PAGES = [
    "/es/",
    "/es/iniciativas/",
    "/es/iniciativas/apoyo-estrategico/",
    "/es/impacto/",
    "/es/contacto/",
    "/es/acerca-de/",
    "/es/accesibilidad/",
    "/es/privacidad/",
    "/es/noticias/",
    "/es/noticias/piloto-del-fondo-de-infraestructura-abierta/",
    "/es/search/?q=infraestructura",
    "/es/no-existe/",
]


@pytest.mark.same_on_every_database  # the markup and styles axe audits
def test_axe_finds_no_violations_on_the_spanish_pages(seeded_site, browser):
    def in_spanish(path, response, tab):
        assert response.status == (404 if "no-existe" in path else 200), path
        assert tab.locator("html").get_attribute("lang") == "es", path

    assert audit_pages(browser, seeded_site, SPANISH_PAGES, check=in_spanish) == ""


def test_a_reader_switches_language_by_keyboard_both_ways(seeded_site, page_in_browser):
    tab = page_in_browser
    tab.goto(f"{seeded_site}/contact/")
    switcher = tab.get_by_role("navigation", name="Language").get_by_role("link", name="Español")
    switcher.focus()
    tab.keyboard.press("Enter")
    tab.wait_for_url(f"{seeded_site}/es/contacto/")
    assert tab.locator("html").get_attribute("lang") == "es"
    back = tab.get_by_role("navigation", name="Idioma").get_by_role("link", name="English")
    back.focus()
    tab.keyboard.press("Enter")
    tab.wait_for_url(f"{seeded_site}/contact/")


def test_the_spanish_contact_form_works_end_to_end_in_spanish(seeded_site, page_in_browser):
    tab = page_in_browser
    tab.goto(f"{seeded_site}/es/contacto/")
    tab.get_by_label("Su nombre", exact=True).fill("Ana Pérez")
    tab.get_by_label("Su dirección de correo electrónico", exact=True).fill("ana@example")
    tab.get_by_label("Su mensaje", exact=True).fill("Quisiera saber cómo postular al fondo.")
    tab.locator("#id_purpose").select_option(label="Financiamiento")
    time.sleep(3.2)  # a person takes a few seconds; a bot does not
    tab.get_by_role("button", name="Enviar mensaje").click()
    tab.wait_for_load_state()
    # The server's own check of the address (the form is novalidate), in Spanish.
    error = tab.locator(".form-field__error")
    assert "válida" in error.inner_text()
    # What she typed is still there.
    assert tab.get_by_label("Su nombre", exact=True).input_value() == "Ana Pérez"
    assert (
        tab.get_by_label("Su mensaje", exact=True).input_value()
        == "Quisiera saber cómo postular al fondo."
    )
    assert not axe_violations(tab)
    tab.get_by_label("Su dirección de correo electrónico", exact=True).fill("ana@example.org")
    tab.get_by_role("button", name="Enviar mensaje").click()
    tab.wait_for_url(f"{seeded_site}/es/contacto/gracias/")
    assert tab.get_by_role("heading", level=1).inner_text() == "Gracias por su mensaje"
    assert tab.locator("html").get_attribute("lang") == "es"
    assert not axe_violations(tab)
    message = ContactMessage.objects.get(email="ana@example.org")
    assert message.language == "es"
    assert message.purpose_name == "Financiamiento"
    assert message.routed_to.locale.language_code == "en"
