import importlib
from opcode import opname

import pytest
from lxml import etree

from odoo.tools.safe_eval import const_eval, expr_eval, safe_eval


def test_safe_eval_evaluates_a_domain():
    domain = safe_eval(
        "[('state', 'in', ['open', 'done']), ('user_id', '=', uid)]", {"uid": 7}
    )
    assert domain == [("state", "in", ["open", "done"]), ("user_id", "=", 7)]


def test_safe_eval_calls_and_comprehensions():
    result = safe_eval(
        "max([x * 2 for x in values if x not in skip], key=lambda v: -v)",
        {"values": [1, 2, 3], "skip": {2}},
    )
    assert result == 2


def test_safe_eval_exec_mode_as_server_actions_use_it():
    context = {"records": [1, 2, 3]}
    safe_eval(
        "total = 0\nfor r in records:\n    total += r\n"
        "try:\n    x = 1 / 0\nexcept Exception:\n    total = -total",
        context,
        mode="exec",
        nocopy=True,
    )
    assert context["total"] == -6


@pytest.mark.parametrize(
    "expr",
    [
        "__import__('os').system('true')",
        "().__class__.__bases__[0].__subclasses__()",
        "open('/etc/passwd').read()",
        "(lambda: 1).__code__",
    ],
)
def test_safe_eval_still_refuses_escapes(expr):
    with pytest.raises(Exception) as info:
        safe_eval(expr, {})
    assert isinstance(info.value, (ValueError, NameError))


def test_const_eval_builds_literals_only():
    assert const_eval("[1, 2, (3, 4), {'foo': 'bar'}, {5}]") == [
        1,
        2,
        (3, 4),
        {"foo": "bar"},
        {5},
    ]
    for expr in ("foo", "abs(1)", "[x for x in (1, 2)]"):
        with pytest.raises(ValueError):
            const_eval(expr)


def test_expr_eval_allows_arithmetic_but_no_names():
    assert expr_eval("(1 + 2) * 3 - 4 // 2") == 7
    assert expr_eval("[1, 2] * 2") == [1, 2, 1, 2]
    with pytest.raises(ValueError):
        expr_eval("abs(-1)")


def test_opcode_sets_were_patched_in_place():
    safe_eval_mod = importlib.import_module("odoo.tools.safe_eval")
    ir_qweb = importlib.import_module("odoo.addons.base.ir.ir_qweb.ir_qweb")
    assert ir_qweb._SAFE_OPCODES is safe_eval_mod._SAFE_OPCODES
    assert {"CALL", "BINARY_OP", "RESUME"} <= {
        opname[code] for code in safe_eval_mod._SAFE_OPCODES
    }
    assert "IMPORT_NAME" not in {opname[code] for code in safe_eval_mod._SAFE_OPCODES}


def test_qweb_renders_if_foreach_esc():
    from odoo.addons.base.ir.ir_qweb.qweb import QWeb

    template = etree.fromstring(
        '<t t-name="compat.test"><ul>'
        '<t t-foreach="items" t-as="item">'
        '<li t-if="item != skip" t-att-class="\'odd\' if item_odd else None">'
        '<t t-esc="item"/></li></t></ul>'
        '<p t-if="not items">empty</p><p t-esc="danger"/></t>'
    )
    html = (
        QWeb()
        .render(template, {"items": ["a", "b", "c"], "skip": "b", "danger": "<script>"})
        .decode()
    )
    assert html == ("<ul><li>a</li><li>c</li></ul>" "<p>&lt;script&gt;</p>")


def test_concat_xml_merges_templates(tmp_path):
    from odoo.addons.web.controllers import main

    first, second = tmp_path / "a.xml", tmp_path / "b.xml"
    first.write_text('<templates><t t-name="a"/></templates>')
    second.write_text('<templates><t t-name="b"/><t t-name="c"/></templates>')
    xml, checksum = main.concat_xml([str(first), str(second)])
    root = etree.fromstring(xml)
    assert [t.get("t-name") for t in root] == ["a", "b", "c"]
    assert len(checksum) == 40


def test_prefork_workers_set_their_cpu_limit_from_a_float():
    """odoo.service.server's Worker.process_limit passes getrusage's float
    seconds plus limit_time_cpu to setrlimit, which Python 3.11 refuses."""
    import resource

    from odoo.service import server

    soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    try:
        server.resource.setrlimit(resource.RLIMIT_CPU, (12345.2, hard))
        assert resource.getrlimit(resource.RLIMIT_CPU)[0] == 12346
    finally:
        resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))
    assert server.resource.RLIMIT_AS == resource.RLIMIT_AS
