#!/usr/bin/env python3
"""The shipped wasm packages' sizes (raw and gzip -9) against issue #13's budgets.

Reads two of the folders scripts/build-wasm writes: the checklist-only package (what a page loads
before its first question) and the store's (what the app's store worker loads; the full package,
with the exports no page calls, is not shipped). Budgets, in KB of 1,000 bytes,
gzipped: the first question on screen within 150 KB, of which the page's own JS and CSS take
about 25 KB (issue #13's estimate; the page is not built here), and the whole app within 480 KB.
Prints every file and both totals; exits 0 whatever the result (a report, not a test).

With APP_DIR (build/web/app), the checklists are counted too: before the first question the one
the page fetches (first-contact in English, compiled: `checklists/first-contact.en.bin`,
docs/formats/compiled-checklist.md), and in the whole app every file in `checklists/` (the whole
definitions as JSON, which the store's worker reads, and the compiled per-language files, all
precached).

usage: package-sizes.py CHECKLIST_PKG_DIR STORE_PKG_DIR [STRENGTH_JS [APP_DIR]]
"""
import pathlib
import subprocess
import sys

PAGE_JS_CSS_GZ = 25_000
FIRST_QUESTION_BUDGET = 150_000
WHOLE_APP_BUDGET = 480_000


def sizes(path):
    # gzip itself, as scripts/build-wasm measures, so the two print the same numbers.
    gz = subprocess.run(["gzip", "-9c", str(path)], check=True, capture_output=True).stdout
    return path.stat().st_size, len(gz)


def row(label, raw, gz):
    print(f"{label:<44} {raw:>11,} {gz:>11,}")


def verdict(total, budget):
    left = budget - total
    return f"met, {left:,} bytes to spare" if left >= 0 else f"NOT met, {-left:,} bytes over"


def main():
    checklist, store = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    strength = pathlib.Path(sys.argv[3]) if len(sys.argv) > 3 else None
    app = pathlib.Path(sys.argv[4]) if len(sys.argv) > 4 else None
    files = [
        ("checklist-only wasm", checklist / "indicia_checklist_bg.wasm"),
        ("checklist-only JS glue", checklist / "indicia_checklist.js"),
        ("store wasm (store worker)", store / "indicia_store_bg.wasm"),
        ("store JS glue", store / "indicia_store.js"),
    ]
    measured = {label: sizes(path) for label, path in files}
    print(f"{'file':<44} {'bytes':>11} {'gzip -9':>11}")
    for label, path in files:
        row(f"{label} ({path.name})", *measured[label])

    first = [measured["checklist-only wasm"], measured["checklist-only JS glue"]]
    whole = list(measured.values())
    if app:
        checklists = app / "checklists"
        definition = checklists / "first-contact.en.bin"
        first.append(sizes(definition))
        row(f"definition before the first question ({definition.name})", *first[-1])
        every = [sizes(path) for path in sorted(checklists.iterdir())]
        whole.append((sum(r for r, _ in every), sum(g for _, g in every)))
        row(f"checklists/* ({len(every)} files, each gzipped)", *whole[-1])
    first_gz = sum(gz for _, gz in first) + PAGE_JS_CSS_GZ
    whole_gz = sum(gz for _, gz in whole) + PAGE_JS_CSS_GZ
    print()
    row("first question: checklist wasm + glue" + (" + definition" if app else ""),
        sum(r for r, _ in first), sum(g for _, g in first))
    print(f"  + page JS and CSS (issue #13's ~25 KB): {first_gz:,} gzipped against "
          f"{FIRST_QUESTION_BUDGET:,}: {verdict(first_gz, FIRST_QUESTION_BUDGET)}")
    row("whole app: both wasm + both glue" + (" + checklists" if app else ""),
        sum(r for r, _ in whole), sum(g for _, g in whole))
    print(f"  + page JS and CSS (~25 KB): {whole_gz:,} gzipped against "
          f"{WHOLE_APP_BUDGET:,}: {verdict(whole_gz, WHOLE_APP_BUDGET)}")
    if app:
        code_gz = sum(gz for _, gz in measured.values()) + PAGE_JS_CSS_GZ
        print(f"  without the checklists (wasm, JS and CSS only): {code_gz:,} gzipped against "
              f"{WHOLE_APP_BUDGET:,}: {verdict(code_gz, WHOLE_APP_BUDGET)}")
    if strength and strength.exists():
        raw, gz = sizes(strength)
        print(f"\nnot counted above: the passphrase strength estimator ({strength.name}, loaded only "
              f"when a store is made or re-keyed without a passkey): {raw:,} bytes, {gz:,} gzipped")


if __name__ == "__main__":
    main()
