"""The type stubs describe the runtime API: no missing or stale names."""
import ast
import inspect
import pathlib

import pytest

import chunkbuf
from chunkbuf import compat, debug, pybuffer

PACKAGE = pathlib.Path(chunkbuf.__file__).parent


def parse_stub(path):
    """({class: (methods, attributes)}, module-level names) of a .pyi file."""
    classes, names = {}, set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.ClassDef):
            methods = {n.name for n in node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
            attributes = {n.target.id for n in node.body if isinstance(n, ast.AnnAssign)}
            for base in node.bases:
                if isinstance(base, ast.Name) and base.id in classes:
                    methods |= classes[base.id][0]
                    attributes |= classes[base.id][1]
            classes[node.name] = (methods, attributes)
            names.add(node.name)
        elif isinstance(node, ast.FunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign):
            names.add(node.target.id)
        elif isinstance(node, ast.ImportFrom):  # `import x as x` re-exports x
            names |= {alias.name for alias in node.names if alias.asname == alias.name}
    return classes, names


def runtime_members(cls):
    own = set()
    for klass in cls.__mro__:
        if klass.__module__.startswith("chunkbuf"):
            own |= {n for n in vars(klass) if not n.startswith("_")}
    return own


@pytest.mark.parametrize("module, stub", [(chunkbuf, "__init__.pyi"), (compat, "compat.pyi"),
                                          (debug, "debug.pyi"), (pybuffer, "pybuffer.pyi")])
def test_stubs_match_runtime(module, stub):
    classes, names = parse_stub(PACKAGE / stub)
    public = set(getattr(module, "__all__", ())) | {
        n for n, obj in vars(module).items()
        if not n.startswith("_") and inspect.isfunction(obj) and obj.__module__ == module.__name__}
    assert public - names == set()
    assert {n for n in names if not hasattr(module, n)} == set()
    for name, (methods, attributes) in classes.items():
        cls = getattr(module, name)
        assert runtime_members(cls) - methods - attributes == set(), name
        assert {m for m in methods if not hasattr(cls, m)} == set(), name
