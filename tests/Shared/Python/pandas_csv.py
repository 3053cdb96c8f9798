"""Reads a CSV file with pandas (read_csv, defaults) and prints what pandas sees as JSON.

Usage: python3 pandas_csv.py [--round-trip] FILE [TIME_COLUMN ...]
--round-trip reads with float_precision="round_trip" (the exact doubles written); without it pandas' default parser,
which can be one unit in the last place off. The time columns are parsed with parse_dates and printed as Unix seconds. Missing values (NaN, NaT) print as null.
"""
import json
import sys

import pandas as pd

args = sys.argv[1:]
round_trip = args[:1] == ["--round-trip"]
if round_trip:
    args = args[1:]
path, times = args[0], args[1:]
frame = pd.read_csv(path, parse_dates=times or False, float_precision="round_trip" if round_trip else None)
out = {
    "pandas": pd.__version__,
    "rows": len(frame),
    "columns": [str(c) for c in frame.columns],
    "dtypes": {str(c): str(t) for c, t in frame.dtypes.items()},
    "data": {},
}
for column in frame.columns:
    series = frame[column]
    if column in times:
        values = [None if pd.isna(v) else int(v.value // 10**9) for v in series]
    else:
        values = [None if pd.isna(v) else (v.item() if hasattr(v, "item") else v) for v in series]
    out["data"][str(column)] = values
print(json.dumps(out, allow_nan=False))
