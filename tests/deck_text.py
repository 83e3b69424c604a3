"""Write Python values as TOML text, for tests that build deck files from generated data."""

from __future__ import annotations

import json


def toml_value(v) -> str:  # noqa: ANN001
    """A TOML literal for None (as ""), bools, numbers, strings, lists and tables."""
    if v is None:
        return '""'
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    return "{" + ", ".join(f"{json.dumps(k)} = {toml_value(x)}" for k, x in v.items()) + "}"
