"""Notebook parameters: ``-p name=value`` as typed literals, and the names a notebook declares.

A value reaches a notebook as Python source written by papermill, which
escapes plain strings but writes other objects (a tuple, a set) with
``str()``, unescaped. So a value is one of the types papermill writes
faithfully, checked before a kernel starts:

- numbers (``int``, finite ``float``), strings, ``True``, ``False``, ``None``;
- lists of those, and dicts of those with string keys, nested.

On the command line, a value that Python reads as a literal or a display
(``0.75``, ``'text'``, ``[10, 20]``, ``{"a": 1}``) must be one of those;
a name or a call (``false``, ``tokyo``, ``print(1)``) is refused too, as
it is ambiguous (quote text: ``'tokyo'``); anything else is kept as the text
written (``/tmp/fy2020``, ``data/fy2020``, ``2021-12``). Papermill writes
text as an escaped string literal; :func:`check_rendering` checks that the
code it injects gives back exactly the values given.

Each notebook receives only the names its first cell tagged ``parameters``
declares (``name = ...``), see :func:`declared_parameters`.
"""

from __future__ import annotations

import ast
import keyword
import math
import numbers

from ..errors import EvalkitError

__all__ = ["check_parameters", "check_value", "declared_parameters", "parse_parameter"]

#: What a parameter value may be, as the error messages say it.
ACCEPTED = (
    "a parameter value is a number, a string, True, False, None, "
    "or a list or dict of those (dict keys are strings)"
)


def parse_parameter(text: str) -> tuple[str, object]:
    """Parse ``name=value`` from the command line into a name and a typed value.

    Parameters
    ----------
    text : str
        ``name=value`` as given to ``-p``.

    Returns
    -------
    tuple
        ``(name, value)``; the value is a number, string, bool, None, list or
        dict (see the module notes), or the text itself when it is not a literal.

    Raises
    ------
    EvalkitError
        When ``text`` has no ``=`` or no valid name, or the value is a literal
        of another type (tuple, set, complex, bytes) or holds a name or call;
        the message names the parameter and the value.

    Examples
    --------
    >>> parse_parameter("target=0.7")
    ('target', 0.7)
    >>> parse_parameter("data_dir=/tmp/fy2020")
    ('data_dir', '/tmp/fy2020')
    >>> parse_parameter("sizes=[10, 20]")
    ('sizes', [10, 20])
    """
    name, sep, raw = text.partition("=")
    name = name.strip()
    if not sep or not name.isidentifier() or keyword.iskeyword(name):
        raise EvalkitError("a parameter is written name=value", column="-p", value=text)
    source = raw.lstrip(" \t")  # as ast.literal_eval does
    try:
        node = ast.parse(source, mode="eval").body
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return name, raw
    if isinstance(node, ast.Name | ast.Call):
        what = "a name" if isinstance(node, ast.Name) else "a function call"
        if isinstance(node, ast.Name) and node.id.lower() in ("true", "false", "none", "null"):
            what += " (write True, False or None)"
        _refuse(name, raw, f"{what} is not a parameter value", cli=True)
    if not _is_literal_display(node):
        return name, raw
    try:
        value = ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, RecursionError, MemoryError):
        bad = _first_non_literal(node)
        what = (
            f"{quote_value(ast.unparse(bad))} is not a literal value"
            if bad
            else "it cannot be read"
        )
        _refuse(name, raw, what, cli=True)
    return name, _checked(name, value, raw, cli=True)


def check_value(name: str, value: object) -> object:
    """Check one parameter value; return it as plain Python objects.

    Numbers that are not ``int``/``float`` (e.g. NumPy scalars) become
    ``int``/``float``; ``bool`` stays ``bool``.

    Raises
    ------
    EvalkitError
        When the value, or an element in it, is not of an accepted type; the
        message names the parameter and the value.

    Examples
    --------
    >>> check_value("sizes", [10, 20.5, {"a": None}])
    [10, 20.5, {'a': None}]
    >>> check_value("top", (30, "x"))
    Traceback (most recent call last):
    ...
    evalkit.errors.EvalkitError: parameter 'top', value (30, 'x'): a tuple is not accepted; ...
    """
    return _checked(name, value, None, cli=False)


def check_parameters(parameters: dict) -> dict:
    """Check the names and values of a dict of parameters; return a checked copy."""
    checked = {}
    for name, value in parameters.items():
        if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
            raise EvalkitError("a parameter name is a Python name", value=name)
        checked[name] = check_value(name, value)
    return checked


def declared_parameters(notebook) -> tuple[str, ...]:
    """The names a notebook's ``parameters`` cell assigns (``name = ...``), in order.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        The notebook; its first cell tagged ``parameters`` is read, as
        papermill does. Without one, no name is declared.

    Returns
    -------
    tuple of str
        Names assigned at the top level of that cell by ``name = ...``,
        ``a = b = ...`` or ``name: type = ...``.

    Raises
    ------
    EvalkitError
        When the cell is not valid Python, naming the cell.
    """
    tagged = [
        (index, cell)
        for index, cell in enumerate(notebook.cells)
        if "parameters" in cell.get("metadata", {}).get("tags", [])
    ]
    if not tagged:
        return ()
    index, cell = tagged[0]
    if cell.get("cell_type") != "code":
        return ()
    try:
        tree = ast.parse(cell.source)
    except SyntaxError as exc:
        raise EvalkitError(
            f"the parameters cell (cell {index}) is not valid Python: {exc.msg} (line {exc.lineno})"
        ) from None
    names: list[str] = []
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign):
            targets = stmt.targets
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            targets = [stmt.target]
        else:
            continue
        names += [t.id for t in targets if isinstance(t, ast.Name) and t.id not in names]
    return tuple(names)


def check_rendering(parameters: dict) -> str:
    """The code papermill injects for ``parameters``, checked to give back the same values.

    A safeguard: the injected cell must consist of ``name = <literal>``
    lines whose literals equal the values, type for type.

    Raises
    ------
    EvalkitError
        When papermill would write some value differently.
    """
    from papermill.translators import translate_parameters

    code = translate_parameters("python3", "python", parameters, "Parameters")
    got: dict = {}
    try:
        for stmt in ast.parse(code).body:
            if not (
                isinstance(stmt, ast.Assign)
                and len(stmt.targets) == 1
                and isinstance(stmt.targets[0], ast.Name)
            ):
                raise ValueError(ast.unparse(stmt))
            got[stmt.targets[0].id] = ast.literal_eval(stmt.value)
    except (SyntaxError, ValueError) as exc:
        raise EvalkitError(f"papermill would inject code that is not a literal: {exc}") from None
    for name, value in parameters.items():
        if name not in got or not _same(got[name], value):
            raise EvalkitError(
                f"parameter {name!r}, value {quote_value(value)}: papermill would pass it as "
                f"{quote_value(got.get(name))}; refused"
            )
    return code


def _is_literal_display(node: ast.AST) -> bool:
    """Whether Python reads ``node`` as a literal: constant, signed number, complex, display."""
    if isinstance(node, ast.Constant | ast.List | ast.Tuple | ast.Set | ast.Dict):
        return True
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.UAdd | ast.USub):
        return isinstance(node.operand, ast.Constant)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add | ast.Sub):
        sides = [s.operand if isinstance(s, ast.UnaryOp) else s for s in (node.left, node.right)]
        return all(isinstance(s, ast.Constant) for s in sides) and any(
            isinstance(s.value, complex) for s in sides
        )
    return False


_LITERAL_NODES = (
    ast.Constant,
    ast.List,
    ast.Tuple,
    ast.Set,
    ast.Dict,
    ast.UnaryOp,
    ast.BinOp,
    ast.Load,
    ast.UAdd,
    ast.USub,
    ast.Add,
    ast.Sub,
)


def _first_non_literal(node: ast.AST) -> ast.AST | None:
    for sub in ast.walk(node):
        if not isinstance(sub, _LITERAL_NODES):
            return sub
    return None


def _kind(value: object) -> str:
    if isinstance(value, tuple):
        return "a tuple"
    if isinstance(value, set | frozenset):
        return "a set"
    if isinstance(value, complex):
        return "a complex number"
    if isinstance(value, bytes | bytearray):
        return "bytes"
    if value is Ellipsis:
        return "an ellipsis (...)"
    return f"a {type(value).__module__}.{type(value).__qualname__}"


def _checked(name: str, value: object, raw: str | None, *, cli: bool) -> object:
    shown = value if raw is None else raw

    def clean(v):
        if v is None or isinstance(v, bool):
            return v
        if isinstance(v, str):
            try:
                v.encode("utf-8")
            except UnicodeEncodeError:
                _refuse(name, shown, "the text is not valid Unicode (UTF-8)", cli=cli)
            return str(v)
        if isinstance(v, numbers.Integral):
            return int(v)
        if isinstance(v, numbers.Real):
            f = float(v)
            if not math.isfinite(f):
                _refuse(name, shown, f"{f!r} is not a finite number", cli=cli)
            return f
        if isinstance(v, list):
            return [clean(x) for x in v]
        if isinstance(v, dict):
            for k in v:
                if not isinstance(k, str):
                    _refuse(name, shown, f"the dict key {k!r} is not a string", cli=cli)
            return {str(k): clean(x) for k, x in v.items()}
        _refuse(name, shown, f"{_kind(v)} is not accepted", cli=cli)

    return clean(value)


def _refuse(name: str, shown: object, what: str, *, cli: bool):
    hint = f"; to pass text, quote it: -p \"{name}='...'\"" if cli else ""
    raise EvalkitError(f"parameter {name!r}, value {quote_value(shown)}: {what}; {ACCEPTED}{hint}")


def quote_value(value: object, limit: int = 200) -> str:
    """``repr(value)``, cut to ``limit`` characters (a value may be a whole file's text)."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


def _same(a: object, b: object) -> bool:
    """Equal and of the same types, recursively (``1 == 1.0 == True`` does not count)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return a == b
