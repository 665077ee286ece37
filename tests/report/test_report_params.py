"""``-p`` values are typed literals, reach the notebook unchanged, and only where declared."""

import json
import re

import nbformat
import pytest

from evalkit import EvalkitError
from evalkit.report import main, parse_parameter, run_report

ACCEPTED = "a parameter value is a number, a string, True, False, None, or a list or dict"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x=0.75", 0.75),
        ("x=-3", -3),
        ("x=True", True),
        ("x=None", None),
        ("x='quoted text'", "quoted text"),
        ("x=[10, 20, 30]", [10, 20, 30]),
        ("x={'a': [1, {'b': None}], 'c': 'd'}", {"a": [1, {"b": None}], "c": "d"}),
        ("x=/tmp/fy2020", "/tmp/fy2020"),
        ("x=data/fy2020", "data/fy2020"),
        ("x=2021-12", "2021-12"),  # an expression, not a literal: the text
        ("x=2020-03", "2020-03"),
        ("x=", ""),
        ("x=  0.5", 0.5),
    ],
)
def test_values_are_typed_literals_or_text(text, expected):
    name, value = parse_parameter(text)
    assert name == "x"
    assert value == expected
    assert type(value) is type(expected)


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("top=(30, 'x')", "a tuple is not accepted"),
        ("top=30, 40", "a tuple is not accepted"),
        ("top={1, 2}", "a set is not accepted"),
        ("top=1j", "a complex number is not accepted"),
        ("top=1+2j", "a complex number is not accepted"),
        ("top=b'x'", "bytes is not accepted"),
        ("top=...", "an ellipsis (...) is not accepted"),
        ("top=1e999", "inf is not a finite number"),
        ("top=[1, (2, 3)]", "a tuple is not accepted"),
        ("top={1: 'a'}", "the dict key 1 is not a string"),
        ("top=[1, foo]", "'foo' is not a literal value"),
        ("top={'a': print(1)}", "'print(1)' is not a literal value"),
        ("top=print(1)", "a function call is not a parameter value"),
        ("top=__import__('os').system('x')", "a function call is not a parameter value"),
        ("top=false", "a name (write True, False or None) is not a parameter value"),
        ("top=fy2020", "a name is not a parameter value"),
    ],
)
def test_other_values_are_refused_naming_parameter_and_value(text, what):
    raw = text.split("=", 1)[1]
    with pytest.raises(EvalkitError) as err:
        parse_parameter(text)
    message = str(err.value)
    assert message.startswith(f"parameter 'top', value {raw!r}: {what}; {ACCEPTED}")
    assert "quote it" in message


def test_python_values_are_checked_too():
    from evalkit.report.params import check_value

    assert check_value("n", [1, 2.5, {"a": "b"}]) == [1, 2.5, {"a": "b"}]
    with pytest.raises(EvalkitError, match=r"parameter 'top', value \(30, 'x'\): a tuple"):
        check_value("top", (30, "x"))
    with pytest.raises(EvalkitError, match=r"parameter 'x', value '\\udc80': the text is not"):
        check_value("x", "\udc80")  # a byte that is not UTF-8 on the command line


def test_injection_through_a_tuple_is_refused_before_a_kernel_starts(notebook, tmp_path, capsys):
    marker = tmp_path / "INJECTED"
    hostile = f'(30, \'" + str(__import__("os").system("touch {marker}")) + "\')'
    nb = notebook("01_demo.ipynb", "top = 30", "top")
    status = main(
        ["report", "--notebook", str(nb), "--out", str(tmp_path / "out"), "-p", f"top={hostile}"]
    )
    err = capsys.readouterr().err
    assert status == 1
    assert f"parameter 'top', value {hostile!r}: a tuple is not accepted" in err
    assert not marker.exists()
    assert "running" not in err  # no notebook started
    assert not (tmp_path / "out").exists()


def test_complex_value_is_an_error_not_a_traceback(notebook, tmp_path, capsys):
    nb = notebook("01_demo.ipynb", "x = 0")
    status = main(["report", "--notebook", str(nb), "--out", str(tmp_path / "out"), "-p", "x=1j"])
    assert status == 1
    assert "parameter 'x', value '1j': a complex number is not accepted" in capsys.readouterr().err


def test_rendering_check_gives_back_the_same_values():
    from evalkit.report.params import check_rendering

    values = {"s": "a\"b'c\\d\n\x00満", "n": [1, 2.5, None, True, {"k\"'": "v\\"}], "f": -0.0}
    code = check_rendering(values)
    namespace = {}
    exec(code, namespace)  # the code papermill injects: the same values, nothing else
    assert {k: namespace[k] for k in values} == values
    assert set(namespace) - {"__builtins__"} == set(values)


# A hostile text: quotes of both kinds, backslashes, newlines, a call.
HOSTILE = 'x"; __import__("os").system("touch {m}") #\'\\\n\r\t\\"\\\\ 満 \\u0041 {{}}'


def test_hostile_text_arrives_unchanged_and_runs_nothing(notebook, tmp_path):
    """A real kernel: the injected values equal the ones given; the out path may hold braces."""
    marker = tmp_path / "INJECTED"
    text = HOSTILE.format(m=marker)
    raw = f'"); __import__("os").system("touch {marker}"); ("'  # not a literal: kept as text
    items = ["a'b", {'k"ey\n': [1, 2.5, None, True, "\\"]}]
    check = (
        f"assert type(text) is str and text == {text!r}, repr(text)\n"
        f"assert type(raw) is str and raw == {raw!r}, repr(raw)\n"
        f"assert items == {items!r}, repr(items)\n"
        "assert data_dir is None\n"  # not passed: --data was not given
        "print('checked')"
    )
    nb = notebook(
        "01_hostile.ipynb", "text = None\nraw = None\nitems = None\ndata_dir = None", check
    )
    out = tmp_path / "{x}" / "out{y}"
    status = main(
        ["report", "--notebook", str(nb), "--out", str(out)]
        + ["-p", f"text={text!r}", "-p", f"raw={raw}", "-p", f"items={items!r}"]
    )
    assert status == 0
    assert not marker.exists()
    executed = nbformat.read(str(out / "notebooks" / "01_hostile.ipynb"), as_version=4)
    assert "checked" in json.dumps(executed.cells[-1].outputs)
    assert executed.metadata.papermill.parameters == {"text": text, "raw": raw, "items": items}


def test_declared_parameters_are_the_simple_assignments_of_the_tagged_cell(notebook):
    from evalkit.report import declared_parameters

    nb = notebook(
        "01_demo.ipynb",
        "a = 1  # comment\nb = c = [1,\n 2]\nd: float = 0.5\n"
        "if True:\n    e = 1\nf.g = 2\nh, i = 1, 2",
    )
    assert declared_parameters(nbformat.read(str(nb), as_version=4)) == ("a", "b", "c", "d")


def test_a_parameters_cell_that_is_not_python_is_an_error_naming_notebook_and_cell(
    notebook, tmp_path
):
    nb = notebook("01_demo.ipynb", "a = = 1")
    with pytest.raises(EvalkitError, match=r"01_demo.ipynb: the parameters cell \(cell 1\) is not"):
        run_report(notebooks=[nb], out_dir=tmp_path / "out")


def test_each_notebook_gets_only_the_names_it_declares(notebook, fake_kernel, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    a = notebook("01_a.ipynb", "data_dir = None\nkpi_csv = None\nthreshold = 0.5")
    b = notebook("02_b.ipynb", "other = 1")
    run_report(
        notebooks=[a, b],
        data_dir=data,
        out_dir=tmp_path / "out",
        parameters={"threshold": 0.9, "other": [2]},
    )
    assert set(fake_kernel.calls["01_a.ipynb"]) == {"data_dir", "kpi_csv", "threshold"}
    assert fake_kernel.calls["01_a.ipynb"]["data_dir"] == str(data)
    assert fake_kernel.calls["01_a.ipynb"]["threshold"] == 0.9
    assert fake_kernel.calls["02_b.ipynb"] == {"other": [2]}


def test_a_name_no_notebook_declares_is_an_error_listing_the_known_names(
    notebook, no_kernel, tmp_path, capsys
):
    a = notebook("01_a.ipynb", "satisfaction_target = 0.7\nkpi_csv = None")
    b = notebook("02_b.ipynb", "reduction_target = 0.8\ndata_dir = None")
    argv = ["report", "--notebook", str(a), "--notebook", str(b), "--out", str(tmp_path / "out")]
    status = main([*argv, "-p", "satisfaction_targt=0.75"])
    err = capsys.readouterr().err
    assert status == 1
    assert (
        "parameter 'satisfaction_targt', value 0.75 (did you mean 'satisfaction_target'?): "
        "no notebook run (01_a.ipynb, 02_b.ipynb) declares it in its parameters cell; "
        "known parameters: reduction_target, satisfaction_target"
    ) in err
    assert not (tmp_path / "out").exists()


def test_the_real_notebooks_declare_the_names_readme_uses(tmp_path):
    from evalkit.report import run

    sources = run._check_notebooks(None)
    for name in ["satisfaction_target", "fiscal_year", "reduction_target", "hourly_cost"]:
        run._check_names({name: 1}, sources)  # declared by some notebook: no error
    with pytest.raises(EvalkitError, match="'satisfaction_targt', value 0.75 .did you mean"):
        run._check_names({"satisfaction_targt": 0.75}, sources)


def test_kpi_csv_is_set_by_the_report_only(notebook, no_kernel, tmp_path):
    nb = notebook("01_a.ipynb")
    with pytest.raises(EvalkitError, match="parameter 'kpi_csv', value 'x.csv': evalkit report"):
        run_report(notebooks=[nb], out_dir=tmp_path / "out", parameters={"kpi_csv": "x.csv"})


def test_a_parameter_given_twice_is_an_error(notebook, no_kernel, tmp_path, capsys):
    nb = notebook("01_a.ipynb")
    argv = ["report", "--notebook", str(nb), "--out", str(tmp_path / "out")]
    assert main([*argv, "-p", "threshold=1", "-p", "threshold=2"]) == 1
    assert "parameter 'threshold' is given twice (1 and 2)" in capsys.readouterr().err


def test_data_dir_as_a_parameter_is_the_data_folder_given_once(notebook, fake_kernel, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    nb = notebook("01_a.ipynb")
    run_report(notebooks=[nb], out_dir=tmp_path / "out", parameters={"data_dir": str(data)})
    assert fake_kernel.calls["01_a.ipynb"]["data_dir"] == str(data)
    with pytest.raises(
        EvalkitError, match="parameter 'data_dir', value '.*': the data folder is giv"
    ):
        run_report(
            notebooks=[nb],
            data_dir=data,
            out_dir=tmp_path / "out2",
            parameters={"data_dir": str(data)},
        )


def test_a_long_value_is_quoted_short():
    with pytest.raises(EvalkitError) as err:
        parse_parameter("x=[" + "1, " * 10_000 + "foo]")
    assert len(str(err.value)) < 600
    assert re.search(r"… \(30,\d{3} characters\): 'foo' is not a literal value", str(err.value))
