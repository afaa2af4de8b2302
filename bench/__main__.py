"""Every benchmark, one after the other, into bench/RESULTS.md (and standard output).

    python -m bench [--quick] [--no-postgres]

--quick runs fewer rounds and a smaller table, to check that the benchmarks
run; the figures in RESULTS.md come from a run without it.
"""
import argparse
import datetime
import os
import platform
import sqlite3
from pathlib import Path

from bench import big_table, commands, fixture_cost, pages

RESULTS = Path(__file__).with_name("RESULTS.md")


def machine():
    return (f"The machine: {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
            f"measured {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC.")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="few rounds: check they run")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    args = parser.parse_args()
    postgres = None if args.no_postgres else fixture_cost.DEFAULT_POSTGRES
    sections = [
        "# Benchmark results",
        "",
        "Written by `make bench` (`python -m bench`); every figure is a median with its "
        "spread, beside a baseline measured in the same run, in a shuffled order.",
        "",
        machine(),
        "",
        "## Test fixtures",
        fixture_cost.measure(tests=8 if args.quick else 30, postgres=postgres),
        "## The command line",
        commands.measure(rounds=2 if args.quick else 7, revisions=40 if args.quick else 300),
        "## Large tables",
        big_table.measure(rows=10_000 if args.quick else 1_000_000,
                          rounds=2 if args.quick else 3),
        "## Pages",
        pages.measure(pages.options_from(
            (["--runs", "1", "--seconds", "2", "--tasks", "500"] if args.quick else [])
            + (["--no-postgres"] if args.no_postgres else []))),
    ]
    report = "\n".join(sections)
    print(report)
    if not args.quick:
        RESULTS.write_text(report)
        print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()
