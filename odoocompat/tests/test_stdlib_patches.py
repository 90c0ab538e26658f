import base64
import collections
import collections.abc
import inspect

import yaml


def test_collections_abc_aliases():
    assert collections.Mapping is collections.abc.Mapping
    assert collections.MutableSet is collections.abc.MutableSet
    assert collections.Iterable is collections.abc.Iterable


def sample(a, b, c=3, *rest, **options):
    return a


def test_getargspec_matches_python35_shape():
    spec = inspect.getargspec(sample)
    assert spec.args == ["a", "b", "c"]
    assert spec.varargs == "rest"
    assert spec.keywords == "options"
    assert spec.defaults == (3,)


def test_formatargspec_as_odoo_cache_uses_it():
    assert inspect.formatargspec(*inspect.getargspec(sample)) == (
        "(a, b, c=3, *rest, **options)"
    )
    assert inspect.formatargspec(["self"]) == "(self)"


def test_base64_aliases_round_trip():
    encoded = base64.encodestring(b"odoo")
    assert encoded == b"b2Rvbw==\n"
    assert base64.decodestring(encoded) == b"odoo"


def test_yaml_load_without_loader_accepts_custom_tags():
    class Record:
        def __init__(self, value):
            self.value = value

    yaml.add_constructor(
        "!compat_record", lambda loader, node: Record(loader.construct_mapping(node))
    )
    loaded = yaml.load("- !compat_record {model: res.partner}")
    assert loaded[0].value == {"model": "res.partner"}


def test_stdnum_eu_vat_has_the_country_codes_base_vat_autocomplete_reads():
    import stdnum.eu.vat

    assert "pl" in stdnum.eu.vat.country_codes
    assert "us" not in stdnum.eu.vat.country_codes
