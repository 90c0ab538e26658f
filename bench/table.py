"""Print bench/results.json as the Markdown table of the README."""

import json
import os
import sys

path = (
    sys.argv[1]
    if len(sys.argv) > 1
    else os.path.join(os.path.dirname(os.path.abspath(__file__)), "results.json")
)
with open(path) as fp:
    report = json.load(fp)
print(
    "Measured %s on %s, scale %s.\n"
    % (report["measured_at"], report["machine"], report["scale"]["name"])
)
print(
    "| operation | ORM ms | SQL ms | ratio | target | against | ORM / SQL "
    "| vs superuser | queries |"
)
print("| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |")
for name, e in report["operations"].items():

    def fmt(value):
        return "-" if value is None else ("%.2f" % value)

    target = e["target_ratio"]
    met = "" if target is None else (" ✓" if e["ratio"] <= target else " ✗")
    print(
        "| %s | %s | %s | %s%s | %s | %s | %s | %s | %s |"
        % (
            name,
            fmt(e["orm_ms"]),
            fmt(e["sql_ms"]),
            fmt(e["ratio"]),
            met,
            fmt(target),
            e["baseline"],
            fmt(e.get("ratio_sql")),
            fmt(e.get("ratio_superuser")),
            e["queries"],
        )
    )
