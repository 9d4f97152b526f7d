"""Result tables as written (CSV) and as shown (HTML): ids stay strings, counts stay
integers, numbers with a fraction get three decimals, and text keeps its line breaks.

Example
-------
>>> import pandas as pd, tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
>>> write_csv(pd.DataFrame({"post_id": ["1609398259065815054"], "numerator": [70.0], "share": [0.25]}), path)
>>> path.read_text()
'post_id,numerator,share\\n1609398259065815054,70,0.25\\n'
>>> "<td>1609398259065815054</td><td>70</td><td>0.250</td>" in html_table(path)
True
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Callable

import pandas as pd

__all__ = ["COUNT_COLUMNS", "write_csv", "html_table", "html_text"]

#: columns that hold counts: written and shown as integers whenever every value is whole
COUNT_COLUMNS = re.compile(
    r"^(numerator|denominator|posts|count|counts|n|n_.+|.+_count|.+_posts|requests|"
    r"answered_n|k|rank|topic|seed)$"
)
_INT = re.compile(r"^[+-]?\d+$")


def _is_id(column: str) -> bool:
    return column == "id" or column.endswith("_id") or column.endswith("_ids")


def write_csv(frame: pd.DataFrame, path: str | Path) -> None:
    """Write ``frame`` without its index; whole-number count columns (:data:`COUNT_COLUMNS`)
    as integers, so a count never reads ``70.0``.

    Example
    -------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "c.csv"
    >>> write_csv(pd.DataFrame({"posts": [3.0, None], "share": [0.5, 1.0]}), p)
    >>> p.read_text().splitlines()
    ['posts,share', '3,0.5', ',1.0']
    """
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if (
            isinstance(column, str)
            and COUNT_COLUMNS.match(column)
            and pd.api.types.is_float_dtype(values)
            and (values.dropna() == values.dropna().round()).all()
        ):
            out[column] = values.astype("Int64")
    out.to_csv(path, index=False)


def html_text(value: str) -> str:
    """Text for an HTML cell: escaped once, line breaks kept as ``<br>``.

    Example
    -------
    >>> html_text("Road closed\\n\\nDetours <here> & there")
    'Road closed<br><br>Detours &lt;here&gt; &amp; there'
    """
    return html.escape(value).replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")


def _column_format(column: str, values: pd.Series) -> Callable[[str], str]:
    present = values[values != ""]
    if _is_id(column) or present.map(lambda v: bool(_INT.match(v))).all():
        return html_text
    try:
        present.astype(float)
    except ValueError:
        return html_text
    return lambda v: f"{float(v):.3f}"


def html_table(path: str | Path, rows: int = 15) -> str:
    """The first ``rows`` rows of a CSV table as HTML, each cell as written: ids and whole
    numbers as they are, other numbers with three decimals, text escaped with its line
    breaks; missing values as ``–``.

    Example
    -------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "r.csv"
    >>> _ = p.write_text('text,share\\n"a\\n\\nb",1.0\\n')
    >>> html_table(p).split("<tbody>")[1].split("</tbody>")[0]
    '<tr><td>a<br><br>b</td><td>1.000</td></tr>'
    """
    path = Path(path)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    formats = {str(c): _column_format(str(c), frame[c]) for c in frame.columns}
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    body = []
    for _, row in frame.head(rows).iterrows():
        cells = "".join(f"<td>{formats[str(c)](v) if v != '' else '–'}</td>" for c, v in row.items())
        body.append(f"<tr>{cells}</tr>")
    more = (
        f"<p class='caveat'>First {rows} of {len(frame):,} rows; all in {html.escape(path.name)}.</p>"
        if len(frame) > rows
        else ""
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{more}"
