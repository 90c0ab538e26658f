"""Standard library and library names that Odoo 11 uses and Python 3.11 (or a
current release of the library) lost."""

import base64
import collections
import collections.abc
import inspect

ArgSpec = collections.namedtuple("ArgSpec", "args varargs keywords defaults")


def patch_collections_abc_aliases():
    # Python 3.10 removed collections.Mapping & co.; Odoo 11 still imports them.
    for name in collections.abc.__all__:
        if not hasattr(collections, name):
            setattr(collections, name, getattr(collections.abc, name))


def _getargspec(func):
    spec = inspect.getfullargspec(func)
    return ArgSpec(spec.args, spec.varargs, spec.varkw, spec.defaults)


def _formatargspec(args, varargs=None, varkw=None, defaults=None):
    specs = []
    first_default = len(args) - len(defaults) if defaults else len(args)
    for index, arg in enumerate(args):
        spec = str(arg)
        if index >= first_default:
            spec += "=" + repr(defaults[index - first_default])
        specs.append(spec)
    if varargs is not None:
        specs.append("*" + varargs)
    if varkw is not None:
        specs.append("**" + varkw)
    return "(" + ", ".join(specs) + ")"


def patch_inspect_getargspec():
    # Python 3.11 removed getargspec/formatargspec; odoo.api and tools.cache use them.
    if not hasattr(inspect, "getargspec"):
        inspect.getargspec = _getargspec
    if not hasattr(inspect, "formatargspec"):
        inspect.formatargspec = _formatargspec


def patch_base64_aliases():
    # Python 3.9 removed encodestring/decodestring; attachments and reports use them.
    if not hasattr(base64, "encodestring"):
        base64.encodestring = base64.encodebytes
    if not hasattr(base64, "decodestring"):
        base64.decodestring = base64.decodebytes


def patch_yaml_load():
    # PyYAML 6 requires a Loader; Odoo 11 YAML data uses custom tags, so the full one.
    import yaml

    if getattr(yaml.load, "_odoocompat", False):
        return
    original = yaml.load

    def load(stream, Loader=None):
        return original(stream, Loader=Loader or yaml.Loader)

    load._odoocompat = True
    yaml.load = load


def patch_stdnum_country_codes(vat):
    # python-stdnum 2 dropped eu.vat._country_codes; base_vat_autocomplete
    # reads country_codes or, failing that, it: give it the member states.
    if not hasattr(vat, "country_codes"):
        vat.country_codes = set(vat.MEMBER_STATES)


def apply():
    from .importhook import after_import

    patch_collections_abc_aliases()
    patch_inspect_getargspec()
    patch_base64_aliases()
    patch_yaml_load()
    after_import("stdnum.eu.vat", patch_stdnum_country_codes)
