"""Run a callback right after a given module is first imported."""

import importlib.abc
import importlib.machinery
import sys

_callbacks = {}


class _AfterImportFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path, target=None):
        if fullname not in _callbacks:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return None
        loader = spec.loader
        exec_module = loader.exec_module

        def exec_then_patch(module):
            exec_module(module)
            for callback in _callbacks.pop(fullname, ()):
                callback(module)

        loader.exec_module = exec_then_patch
        return spec


_finder = _AfterImportFinder()


def after_import(fullname, callback):
    """Call ``callback(module)`` once ``fullname`` is imported (now if it is)."""
    module = sys.modules.get(fullname)
    if module is not None:
        callback(module)
        return
    _callbacks.setdefault(fullname, []).append(callback)
    if _finder not in sys.meta_path:
        sys.meta_path.insert(0, _finder)
