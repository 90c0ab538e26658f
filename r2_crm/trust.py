"""The workflow's own key to what only the workflow may write.

A context value proves nothing: any JSON-RPC or XML-RPC client can send
``{"any_key": True}``.  This key is a Python object that no request can build,
so only server code holds it: the transitions (buttons, results, the fiasco
wizard) and, for managers, the import of old data.
"""

_KEY = "r2_crm_workflow"
_TOKEN = object()


def as_workflow(records):
    """``records`` in an environment that may write the workflow's fields."""
    return records.with_context(**{_KEY: _TOKEN})


def is_workflow(records):
    """True when ``records`` were handed the key by server code."""
    return records.env.context.get(_KEY) is _TOKEN


_IMPORT_KEY = "r2_crm_import"
_IMPORT_TOKEN = object()


def as_import(records):
    """``records`` in the import of old data (r2.crm.import.wizard): they may
    write the workflow's fields, and their results change no case, because
    history is history."""
    return as_workflow(records).with_context(**{_IMPORT_KEY: _IMPORT_TOKEN})


def is_import(records):
    """True when ``records`` were handed the import's key by server code."""
    return records.env.context.get(_IMPORT_KEY) is _IMPORT_TOKEN
