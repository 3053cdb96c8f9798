"""Reads a CSV file with pandas (read_csv, defaults) and prints what pandas sees as JSON.

Usage: python3 pandas_csv.py FILE [TIME_COLUMN ...]
The time columns are parsed with parse_dates and printed as Unix seconds. Missing values (NaN, NaT) print as null.
"""
import json
import sys

import pandas as pd

path, times = sys.argv[1], sys.argv[2:]
frame = pd.read_csv(path, parse_dates=times or False)
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
