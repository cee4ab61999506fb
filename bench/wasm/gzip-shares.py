#!/usr/bin/env python3
"""What each owner of a wasm module costs gzipped, and its largest data segments.

size-breakdown.py counts raw bytes; the budgets of issue #13 are in gzip -9 bytes, and code,
text and tables compress very differently (a precomputed curve table hardly at all). This reads a
module built with its names kept (scripts/bench wasm-size builds them under build/wasm-size/),
groups the function bodies of the code section by owner as size-breakdown.py does (indicia-core
by module), gzips each group's bodies concatenated, and does the same for the data segments, one
by one, printing the largest with the first strings they hold (to say what they are).

A group's figure is what it would cost compressed alone: the groups share no gzip window, so
their sum is a little more than the module's own gzip size (both are printed).

usage: gzip-shares.py MODULE_WITH_NAMES.wasm [TOP_N]
"""
import collections
import gzip
import importlib.util
import os
import re
import sys

_spec = importlib.util.spec_from_file_location(
    "size_breakdown", os.path.join(os.path.dirname(__file__), "size-breakdown.py")
)
size_breakdown = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(size_breakdown)


def leb(b, i):
    """An unsigned LEB128 at b[i]: (value, index after it)."""
    value = shift = 0
    while True:
        byte = b[i]
        i += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, i


def limits(b, j):
    flags = b[j]
    _, j = leb(b, j + 1)
    return leb(b, j)[1] if flags & 1 else j


def sections(data):
    if data[:4] != b"\0asm":
        sys.exit("not a wasm module")
    i = 8
    while i < len(data):
        sid = data[i]
        size, i = leb(data, i + 1)
        yield sid, data[i : i + size]
        i += size


def parse(data):
    """(number of imported functions, function bodies, names by function index, data segments)."""
    imported, bodies, names, segments = 0, [], {}, []
    for sid, b in sections(data):
        if sid == 2:  # imports: only the function count matters, but every entry must be skipped
            count, j = leb(b, 0)
            for _ in range(count):
                for _ in range(2):  # module and field names
                    n, j = leb(b, j)
                    j += n
                kind = b[j]
                j += 1
                if kind == 0:
                    _, j = leb(b, j)
                    imported += 1
                elif kind == 1:
                    j = limits(b, j + 1)
                elif kind == 2:
                    j = limits(b, j)
                elif kind in (3, 4):
                    j += 2
        elif sid == 10:
            count, j = leb(b, 0)
            for _ in range(count):
                n, j = leb(b, j)
                bodies.append(b[j : j + n])
                j += n
        elif sid == 11:
            count, j = leb(b, 0)
            for _ in range(count):
                flags, j = leb(b, j)
                if flags in (0, 2):
                    if flags == 2:
                        _, j = leb(b, j)
                    while b[j] != 0x0B:  # the offset expression, up to its `end`
                        j += 1
                    j += 1
                n, j = leb(b, j)
                segments.append(b[j : j + n])
                j += n
        elif sid == 0:
            n, j = leb(b, 0)
            if b[j : j + n] != b"name":
                continue
            j += n
            while j < len(b):
                sub = b[j]
                n, j = leb(b, j + 1)
                end = j + n
                if sub == 1:
                    count, k = leb(b, j)
                    for _ in range(count):
                        index, k = leb(b, k)
                        n, k = leb(b, k)
                        names[index] = b[k : k + n].decode("utf-8", "replace")
                        k += n
                j = end
    return imported, bodies, names, segments


def gz(b):
    return len(gzip.compress(b, 9))


def main():
    data = open(sys.argv[1], "rb").read()
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    imported, bodies, names, segments = parse(data)
    if not names:
        sys.exit("the module has no name section: build it with --names")
    groups = collections.defaultdict(list)
    for n, body in enumerate(bodies):
        name = names.get(imported + n, "?")
        who = size_breakdown.owner(name) or "?"
        if who == "indicia_core":
            m = size_breakdown.CORE_MODULE.search(name)
            who = "indicia_core::" + (m.group(1) if m else "(other)")
        groups[who].append(body)
    groups["(data segments)"] = segments
    rows = sorted(
        ((gz(b"".join(v)), sum(map(len, v)), who) for who, v in groups.items()), reverse=True
    )
    together = gz(b"".join(b"".join(v) for v in groups.values()))
    print(
        f"{sum(r[0] for r in rows):>10,} gzip -9, the owners compressed one by one "
        f"({together:,} code and data compressed together)\n"
    )
    print("     gzip        raw  owner")
    for packed, raw, who in rows[:top]:
        print(f"{packed:>9,} {raw:>10,}  {who}")
    print(f"\nlargest data segments (of {len(segments)}), gzip -9 each")
    largest = sorted(((gz(s), len(s), s) for s in segments), reverse=True)[: min(top, 12)]
    for packed, raw, s in largest:
        text = b" | ".join(re.findall(rb"[ -~]{8,}", s)[:3])[:100].decode("ascii")
        print(f"{packed:>9,} {raw:>10,}  {text or '(no text: a table)'}")


if __name__ == "__main__":
    main()
