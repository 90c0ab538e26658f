"""Print bench/results.json (make bench), bench/load.json (make load) or
bench/cluster.json (make load CLUSTER=1) as the Markdown tables of the README:
``python -m bench.table [file]``; ``--scales`` prints the full scale's
operations of results.json next to the huge scale's. ``python -m bench.table
--check file...`` exits 1 when README.md does not hold a file's table as
printed now (make lint)."""

import contextlib
import io
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


def cluster_table(report):
    """The lost node: one row, then the moments and the targets."""
    machine = report["machine"]
    moments = report["timeline_s"]
    print(
        "Measured %s on %d cores, PostgreSQL %s, HAProxy %s, locust %s: "
        "%d nodes of %d workers, %d clerks pausing %s s, %d s; node %s killed "
        "at %s s, started again at %s s, routed to again at %s s.\n"
        % (
            report["measured_at"],
            machine["cores"],
            machine["postgresql"],
            machine["haproxy"],
            machine["locust"],
            report["nodes"],
            report["workers_per_node"],
            report["clerks"],
            report["think_seconds"],
            report["seconds"],
            report["killed_node"],
            moments["kill"],
            moments["restart"],
            moments["back_up"],
        )
    )
    print(
        "| notes acknowledged | lost | duplicate case numbers | errors "
        "| errors after failover | s to mark down | s to recover "
        "| stylesheets not printed | S1 p95 ms before / during / after "
        "| cores busy, this run / others |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    p95 = report["s1_p95_ms"]
    cpu = report.get("cpu_seconds") or {}
    print(
        "| %d | %d | %d | %d | %s | %s | %s | %s | %s / %s / %s | %s |"
        % (
            report["acknowledged_notes"],
            report["lost_notes"],
            report["duplicate_case_numbers"],
            report["errors_total"],
            report["errors_after_failover"],
            report["seconds_to_mark_down"],
            report["seconds_to_recover"],
            report["report_fetches_failed"],
            fmt0(p95["before"]),
            fmt0(p95["during"]),
            fmt0(p95["after"]),
            cores(cpu),
        )
    )
    print()
    for error in report["errors"]:
        print(
            "- error %.2f s after the kill, %s: %s"
            % (error["seconds_after_kill"], error["step"], error["error"])
        )
    for name, target in report["targets"].items():
        print(
            "- %s: %s (target %s) %s"
            % (
                name,
                json.dumps(target["value"]),
                target["target"],
                {True: "✓", False: "✗", None: "-"}[target["met"]],
            )
        )


def cores(cpu):
    """Cores this run's processes kept busy, and the other processes."""
    if not cpu:
        return "-"
    return "%.2f / %.2f" % (
        (cpu["ours"] + cpu["short_lived"]) / cpu["wall"],
        cpu["others"] / cpu["wall"],
    )


def fmt0(value):
    return "-" if value is None else "%.0f" % value


def print_tables(path):
    with open(path) as fp:
        report = json.load(fp)
    if "--scales" in sys.argv:
        scale_table(report)
        return
    if "scenarios" in report:
        load_table(report)
    elif "timeline_s" in report:
        cluster_table(report)
    elif "operations" in report:
        bench_table(report)
    if "profiles" in report:
        profile_table(
            report["profiles"],
            "Profiles of %s (%s)"
            % (report.get("r2_crm_commit", "this tree"), report["measured_at"]),
        )


def check(paths):
    """1 when README.md lacks the tables of one of ``paths`` as printed now."""
    with open(os.path.join(os.path.dirname(HERE), "README.md")) as fp:
        readme = fp.read()
    stale = []
    for path in paths:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            print_tables(path)
        if out.getvalue().strip() not in readme:
            stale.append(path)
    for path in stale:
        print(
            "README.md lacks the table of %s: paste python -m bench.table %s"
            % (path, path)
        )
    return 1 if stale else 0


def main():
    args = [arg for arg in sys.argv[1:] if arg != "--scales"]
    if args[:1] == ["--check"]:
        return check(args[1:])
    print_tables(args[0] if args else os.path.join(HERE, "results.json"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
