#!/usr/bin/env python3
"""Share of each matrix row's divergences that the quirk catalogue names, from its baseline.

A baseline (adapters/baselines/NAME.json) lists the cases each catalogued quirk explains
(`quirks`, by attribution or rule) and the divergent cases nothing catalogued explains
(`unexplained`). A row's named share is the number of divergent cases some quirk names over all
its divergent cases (`assigned` entries are limits, such as cases the API cannot express, and
are not divergences the catalogue names). Given a git revision, the baselines of that revision
are read as well and each row is shown before and after.

    scripts/named_share.py                 # the working tree's baselines
    scripts/named_share.py --before main   # main's baselines beside the working tree's
"""

import argparse
import json
import pathlib
import subprocess
import sys

BASELINES = "adapters/baselines"
# The live modes' baselines are not matrix rows.
NOT_ROWS = ("clients/", "live/")


def shares(files):
    """{row: (named, divergent)} from {relative path: baseline text}."""
    out = {}
    for path, text in files.items():
        if path.startswith(NOT_ROWS):
            continue
        try:
            baseline = json.loads(text)
        except json.JSONDecodeError as error:
            sys.exit(f"{BASELINES}/{path}: not JSON: {error}")
        unexplained = set(baseline.get("unexplained", []))
        named = set()
        for cases in baseline.get("quirks", {}).values():
            named.update(cases)
        named -= unexplained
        out[baseline.get("implementation", path)] = (len(named), len(named) + len(unexplained))
    return out


def worktree(root):
    base = root / BASELINES
    return {str(p.relative_to(base)): p.read_text() for p in sorted(base.rglob("*.json"))}


def revision(root, rev):
    listed = subprocess.run(
        ["git", "-C", str(root), "ls-tree", "-r", "--name-only", rev, BASELINES + "/"],
        check=True, capture_output=True, text=True,
    ).stdout.split()
    files = {}
    for name in listed:
        if name.endswith(".json"):
            text = subprocess.run(
                ["git", "-C", str(root), "show", f"{rev}:{name}"], check=True, capture_output=True, text=True
            ).stdout
            files[name[len(BASELINES) + 1 :]] = text
    return files


def cell(pair):
    if pair is None:
        return "–"
    named, divergent = pair
    return f"{named}/{divergent} ({100 * named / divergent:.1f} %)" if divergent else "0/0"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--before", metavar="REV", help="also read the baselines of this git revision")
    args = parser.parse_args()
    root = pathlib.Path(__file__).resolve().parent.parent
    after = shares(worktree(root))
    before = shares(revision(root, args.before)) if args.before else {}
    rows = sorted(set(after) | set(before))
    if args.before:
        print(f"| row | named before ({args.before}) | named after |")
        print("|---|---|---|")
        for row in rows:
            print(f"| {row} | {cell(before.get(row))} | {cell(after.get(row))} |")
    else:
        print("| row | named |")
        print("|---|---|")
        for row in rows:
            print(f"| {row} | {cell(after.get(row))} |")


if __name__ == "__main__":
    main()
