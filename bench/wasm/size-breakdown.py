#!/usr/bin/env python3
"""Where the bytes of the wasm package go, by crate and by indicia-core module.

Reads `twiggy top -f csv` of a package built with its names kept (scripts/bench wasm-size builds
one: the same code as scripts/build-wasm, plus the name section) and prints the shallow size of
each item summed per owner: an item belongs to the first crate its name mentions, so a
serde_json function generic over a core type counts as serde_json. Names are Rust's mangled-then-demangled paths (`crate[hash]::mod::...`);
C functions (SQLite) have bare names; wasm-bindgen's generated shims and data segments are listed
under their own labels. The name sections themselves are left out of the totals: the shipped
package has none.

usage: size-breakdown.py TWIGGY_CSV [TOP_N]
"""
import collections
import csv
import re
import sys

CRATE = re.compile(r"([a-z_][a-z_0-9]*)\[[0-9a-f]+\]")
CORE_MODULE = re.compile(r"indicia_core\[[0-9a-f]+\]::([a-z_0-9]+)")
# Modules that exist only with the core's `receiver` / `correlate` features; the field package
# is built without them, so they must sum to zero here.
RECEIVER_SIDE = {"receiver", "correlate"}


def owner(name):
    if name.startswith('"') or name.startswith("custom section"):
        return None  # name sections and custom sections: not shipped
    if name.startswith("data segment"):
        return "(data segments)"
    m = CRATE.search(name)
    if m:
        return m.group(1)
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        return "(C: SQLite and libc)"
    return "(wasm-bindgen shims, exports, tables)"


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    crates, modules = collections.Counter(), collections.Counter()
    for row in csv.DictReader(open(path, newline="")):
        name, size = row["Name"], int(row["ShallowSize"])
        who = owner(name)
        if who is None:
            continue
        crates[who] += size
        if who == "indicia_core":
            m = CORE_MODULE.search(name)
            modules[m.group(1) if m else "(other)"] += size
    total = sum(crates.values())
    print(f"{total:>10,} bytes in code and data (name sections excluded)\n")
    print("by crate")
    for who, size in crates.most_common(top):
        print(f"{size:>10,}  {100 * size / total:5.1f} %  {who}")
    print("\nindicia-core by module")
    for mod, size in modules.most_common():
        print(f"{size:>10,}  {100 * size / total:5.1f} %  {mod}")
    leaked = sum(modules[m] for m in RECEIVER_SIDE)
    print(f"\nreceiver and correlation modules in the field package: {leaked:,} bytes")
    if leaked:
        sys.exit("the field package carries receiver-side code")


if __name__ == "__main__":
    main()
