"""Patches applied to Odoo 11 modules right after they are imported."""

import ast
import builtins
import hashlib
import logging
from opcode import opmap

_logger = logging.getLogger(__name__)

# Opcodes that Python 3.9-3.11 introduced to replace ones Odoo 11 already allows.
# Grouped like odoo.tools.safe_eval; nothing here grants a new capability.
NEW_CONST_OPCODES = [
    "RESUME",
    "CACHE",
    "NOP",  # 3.11 function prologue and inline caches
    "COPY",
    "SWAP",  # 3.11: replace DUP_TOP*, ROT_*
    "LIST_EXTEND",
    "SET_UPDATE",
    "LIST_TO_TUPLE",  # 3.9: constant list/set literals
]
NEW_EXPR_OPCODES = [
    "BINARY_OP",  # 3.11: replaces every BINARY_*/INPLACE_* arithmetic opcode
    "IS_OP",
    "CONTAINS_OP",  # 3.9: split out of COMPARE_OP
    "DICT_MERGE",
    "DICT_UPDATE",  # 3.9: replace BUILD_MAP_UNPACK*
]
NEW_SAFE_OPCODES = [
    "PUSH_NULL",
    "PRECALL",
    "CALL",
    "KW_NAMES",  # 3.11: replace CALL_FUNCTION*/CALL_METHOD
    "POP_JUMP_FORWARD_IF_FALSE",
    "POP_JUMP_FORWARD_IF_TRUE",  # 3.11 jumps
    "POP_JUMP_BACKWARD_IF_FALSE",
    "POP_JUMP_BACKWARD_IF_TRUE",
    "POP_JUMP_FORWARD_IF_NONE",
    "POP_JUMP_FORWARD_IF_NOT_NONE",
    "POP_JUMP_BACKWARD_IF_NONE",
    "POP_JUMP_BACKWARD_IF_NOT_NONE",
    "JUMP_BACKWARD",
    "JUMP_BACKWARD_NO_INTERRUPT",  # 3.11: replace JUMP_ABSOLUTE
    "RETURN_GENERATOR",  # 3.11: generator expressions start with it
    "PUSH_EXC_INFO",
    "CHECK_EXC_MATCH",
    "RERAISE",  # 3.9/3.11 try/except
    "MAKE_CELL",
    "COPY_FREE_VARS",
    "LOAD_CLOSURE",
    "LOAD_DEREF",  # 3.11 closures
    "FORMAT_VALUE",
    "BUILD_STRING",  # f-strings, allowed in Odoo 12+
]


def patch_safe_eval_opcodes(safe_eval):
    # 3.11 bytecode uses opcodes missing from the whitelists: every domain would fail.
    const = {opmap[name] for name in NEW_CONST_OPCODES if name in opmap}
    expr = const | {opmap[name] for name in NEW_EXPR_OPCODES if name in opmap}
    safe = expr | {opmap[name] for name in NEW_SAFE_OPCODES if name in opmap}
    # In place: ir_qweb imported the same set objects by name.
    safe_eval._CONST_OPCODES.update(const)
    safe_eval._EXPR_OPCODES.update(expr)
    safe_eval._SAFE_OPCODES.update(safe)


_CONSTANT_NAMES = {"None": None, "True": True, "False": False}


class _Py311AstFixer(ast.NodeTransformer):
    """Make QWeb's hand-built AST valid for the Python 3.11 compiler."""

    def visit_Name(self, node):
        if node.id in _CONSTANT_NAMES:
            return ast.Constant(value=_CONSTANT_NAMES[node.id])
        return node

    def visit_arguments(self, node):
        if not getattr(node, "posonlyargs", None):
            node.posonlyargs = []
        return self.generic_visit(node)


def _flatten_locations(tree):
    # Synthetic nodes copy positions from template expressions and end up with
    # end_lineno < lineno, which 3.11 rejects; QWeb reports errors by xpath anyway.
    for node in ast.walk(tree):
        if "lineno" in node._attributes:
            node.lineno = node.end_lineno = 1
            node.col_offset = node.end_col_offset = 0
    return tree


def fix_ast_for_py311(tree):
    tree = _Py311AstFixer().visit(tree)
    return _flatten_locations(tree)


def _compile(source, filename, mode, *args, **kwargs):
    if isinstance(source, ast.AST):
        source = fix_ast_for_py311(source)
    return builtins.compile(source, filename, mode, *args, **kwargs)


def patch_qweb_compile(qweb):
    # QWeb builds an AST that 3.11 rejects (posonlyargs, Name('None'), positions).
    qweb.compile = _compile


def concat_xml(file_list):
    """Odoo 11's web.controllers.main.concat_xml without Element.getchildren()."""
    from xml.etree import ElementTree

    checksum = hashlib.new("sha1")
    if not file_list:
        return "", checksum.hexdigest()
    root = None
    for fname in file_list:
        with open(fname, "rb") as fp:
            contents = fp.read()
            checksum.update(contents)
            fp.seek(0)
            try:
                xml = ElementTree.parse(fp).getroot()
            except ElementTree.ParseError as e:
                _logger.error("Could not parse file %s: %s", fname, e.msg)
                raise
        if root is None:
            root = ElementTree.Element(xml.tag)
        for child in list(xml):
            root.append(child)
    return ElementTree.tostring(root, "utf-8"), checksum.hexdigest()


def patch_concat_xml(web_main):
    # Element.getchildren() is gone since 3.9: /web/webclient/qweb gave 500,
    # so the web client stayed blank.
    web_main.concat_xml = concat_xml


class _WholeSecondLimits(object):
    """The ``resource`` module as odoo.service.server sees it, except that
    setrlimit takes the CPU-seconds limit Odoo computes as a float (getrusage's
    seconds plus limit_time_cpu) and rounds it up, as Python 3.5 accepted it."""

    def __init__(self, module):
        self._module = module

    def __getattr__(self, name):
        return getattr(self._module, name)

    def setrlimit(self, which, limits):
        soft, hard = limits
        if isinstance(soft, float):
            soft = int(soft) + (soft > int(soft))
        return self._module.setrlimit(which, (soft, hard))


def patch_worker_rlimits(server):
    # Python 3.10 refuses floats where it wants integers: each prefork worker
    # died in process_limit() on its CPU time limit (--workers).
    if not isinstance(server.resource, _WholeSecondLimits):
        server.resource = _WholeSecondLimits(server.resource)
