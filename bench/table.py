"""Print bench/results.json (make bench) or bench/load.json (make load) as the
Markdown tables of the README: ``python -m bench.table [file]``; with
``--scales``, the full scale's operations next to the huge scale's."""

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def fmt(value):
    return "-" if value is None else ("%.2f" % value)


def bench_table(report):
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


def profile_table(profiles, label):
    """Per profiled read: its Python time under cProfile, and the functions of
    r2_crm among the 25 with the most cumulative time."""
    print("\n%s\n" % label)
    header = "| read, as the clerk | ms a call (profiled) | r2_crm's, s in all calls |"
    print(header)
    print("| --- | ---: | --- |")
    for name, entry in sorted(profiles.items()):
        lines = entry["top_by_cumulative_time"]
        ours = [
            "`%s` %s" % (line.split()[-1].split("/")[-1], line.split()[3])
            for line in lines
            if "r2_crm/" in line and "bench/" not in line
        ]
        print(
            "| %s | %.1f | %s |"
            % (name, entry["ms_per_call"], ", ".join(ours) or "none in the top 25")
        )


# What must stay flat from full to huge scale: each list's page and each form
# (the pagers' full counts grow with the data by nature: they are capped)
FLAT = ("_list_80", "_form_read", "_history_page", "my_tasks_today", "_capped")
HUGE_TARGET = 1.5


def flat(name):
    operation = name.partition("@")[0]
    return any(operation.endswith(end) or end in operation for end in FLAT)


def scale_table(report):
    """Each operation at full scale next to the same at huge scale (ten times
    the rows), for the operations measured at both."""
    huge = report["huge"]
    print(
        "Full scale measured %s; huge scale (%s cases, %s entries) measured %s "
        "on %s.\n"
        % (
            report["measured_at"],
            "{:,}".format(huge["scale"]["cases"]),
            "{:,}".format(huge["scale"]["contacts"]),
            huge["measured_at"],
            huge["machine"],
        )
    )
    print("| operation | full ms | huge ms | huge / full | target |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, e in sorted(huge["operations"].items()):
        full = report["operations"].get(name)
        if not full or not full["orm_ms"] or e["orm_ms"] is None:
            continue
        ratio = e["orm_ms"] / full["orm_ms"]
        target = HUGE_TARGET if flat(name) else None
        met = "" if target is None else (" ✓" if ratio <= target else " ✗")
        print(
            "| %s | %s | %s | %.2f%s | %s |"
            % (name, fmt(full["orm_ms"]), fmt(e["orm_ms"]), ratio, met, fmt(target))
        )


def load_table(report):
    machine = report["machine"]
    print(
        "Measured %s on %d cores, PostgreSQL %s, locust %s, %d s a scenario.\n"
        % (
            report["measured_at"],
            machine["cores"],
            machine["postgresql"],
            machine["locust"],
            report["settings"]["seconds"],
        )
    )
    print(
        "| scenario | clerks | workers | pause s | req/s | customers | errors "
        "| S1 p50 / p95 ms | print p50 / p95 ms | all records found "
        "| cores busy | largest process MiB |"
    )
    print(
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- "
        "| ---: | ---: |"
    )
    for name, s in report["scenarios"].items():
        steps = s["steps"]
        print(
            "| %s | %d | %d | %s | %.1f | %d | %d | %.0f / %.0f | %.0f / %.0f "
            "| %s | %s | %s |"
            % (
                name,
                s["clerks"],
                s["workers"],
                s.get("think_seconds", 0),
                s["rps"],
                s["cycles"],
                s["errors"]["count"],
                steps["s1_intake"]["p50_ms"],
                steps["s1_intake"]["p95_ms"],
                steps["print_intake"]["p50_ms"],
                steps["print_intake"]["p95_ms"],
                "yes" if s["db_check"]["ok"] else "no",
                s["cpu_seconds"]["machine_cores_busy"],
                s.get("memory", {}).get("largest_mib", "-"),
            )
        )
    print()
    for name, target in report["targets"].items():
        print(
            "- %s: %s (target %s) %s"
            % (
                name,
                json.dumps(target["value"], sort_keys=True),
                target["target"],
                {True: "✓", False: "✗", None: "-"}[target["met"]],
            )
        )


def main():
    paths = [arg for arg in sys.argv[1:] if not arg.startswith("--")]
    path = paths[0] if paths else os.path.join(HERE, "results.json")
    with open(path) as fp:
        report = json.load(fp)
    if "--scales" in sys.argv:
        scale_table(report)
        return
    if "scenarios" in report:
        load_table(report)
    elif "operations" in report:
        bench_table(report)
    if "profiles" in report:
        profile_table(
            report["profiles"],
            "Profiles of %s (%s)"
            % (report.get("r2_crm_commit", "this tree"), report["measured_at"]),
        )


if __name__ == "__main__":
    main()
