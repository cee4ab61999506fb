#!/usr/bin/env bash
# Sealing a large attachment into a report package, side by side with rage (the same age crate)
# and Debian's Go age encrypting the same file; then opening each result. docs/benchmarks.md,
# "Report packages: sealing 256 MiB".
#
#   bench/package-seal.sh [MiB]      (= scripts/bench package [MiB]); default 256 MiB
#
# INDICIA_BENCH_DIR: where the random input and the outputs go (default /tmp); removed at the end.
# INDICIA_BENCH_RUNS: runs of each tool, alternating (default 3); the table gives the median.
# INDICIA_BENCH_MANY: small packages for the open+verify throughput (default 10000; 0 skips it).
#
# Installs rage into $INDICIA_CACHE/tools/rage-<version> the first time (a few minutes). Wall time
# and peak RSS of every process come from /usr/bin/time; the Indicia tool (package_seal_bench,
# tools/rust) seals the file in one pass (package v2), and the store's `Store::seal_case`.
set -euo pipefail
source "$(dirname "$0")/../scripts/lib/env.sh"
cd "$ROOT"

size_mib="${1:-256}"
runs="${INDICIA_BENCH_RUNS:-3}"
many="${INDICIA_BENCH_MANY:-10000}"
case "$size_mib" in '' | *[!0-9]*)
    echo "usage: bench/package-seal.sh [MiB]" >&2
    exit 2
    ;;
esac

# rage 0.12.1 is built on age 0.12.1, the version the core uses (Cargo.lock).
RAGE_VERSION=0.12.1
RAGE_ROOT="$INDICIA_CACHE/tools/rage-$RAGE_VERSION"
RAGE="$RAGE_ROOT/bin/rage"
GO_AGE=/usr/bin/age
TIME=/usr/bin/time

[ -x "$GO_AGE" ] || { echo "Go age is missing: apt-get install age" >&2; exit 1; }
[ -x "$TIME" ] || { echo "/usr/bin/time is missing: apt-get install time" >&2; exit 1; }
if [ ! -x "$RAGE" ]; then
    log "installing rage $RAGE_VERSION into $RAGE_ROOT (builds from source, a few minutes)"
    cargo install --quiet --locked --root "$RAGE_ROOT" rage --version "=$RAGE_VERSION"
fi

log "building the indicia CLI and the package_seal_bench tool (release)"
cargo build --quiet --release -p indicia-cli
cargo build --quiet --release -p indicia-tools --bin package_seal_bench
INDICIA="$CARGO_TARGET_DIR/release/indicia"
TOOL="$CARGO_TARGET_DIR/release/package_seal_bench"

dir="$(mktemp -d "${INDICIA_BENCH_DIR:-/tmp}/indicia-package-bench.XXXXXX")"
trap 'rm -rf "$dir"' EXIT
export INDICIA_BENCH_DIR="$dir" # the store-backed run puts its store here

log "input: $size_mib MiB of random bytes in $dir"
head -c "$((size_mib * 1048576))" /dev/urandom >"$dir/input"
"$INDICIA" keygen -o "$dir/key" 2>"$dir/keygen.txt"
recipient="$(grep -oh 'age1[0-9a-z]*' "$dir/keygen.txt" "$dir/key" | head -n1)"
[ -n "$recipient" ] || { echo "no recipient in indicia keygen's output" >&2; exit 1; }
cat "$dir/input" >/dev/null # every tool starts with the input in the page cache

results="$dir/results" # lines: side tool seconds peak_kib
: >"$results"

# timed SIDE TOOL COMMAND...: wall time and peak RSS of the whole process.
timed() {
    local side=$1 tool=$2
    shift 2
    "$TIME" -f "%e %M" -o "$dir/time" "$@" >"$dir/stdout" 2>"$dir/stderr" || {
        cat "$dir/stdout" "$dir/stderr" >&2
        echo "$tool failed" >&2
        exit 1
    }
    echo "$side $tool $(tail -n1 "$dir/time")" >>"$results"
}

# inner SIDE TOOL FIELD: a figure the tool measured itself (its `result:` line; FIELD 2 is
# the measured step, `hash`/`seal` its passes), with its peak RSS over that step.
inner() {
    local line secs
    line="$(grep '^result:' "$dir/stdout")"
    if [ "$3" = 2 ]; then
        secs="$(awk '{ print $2 }' <<<"$line")"
    else
        secs="$(grep -o "$3=[0-9.]*" <<<"$line" | cut -d= -f2)"
    fi
    echo "$1 $2 $secs $(awk '{ print $3 }' <<<"$line")" >>"$results"
}

log "load before sealing: $(cat /proc/loadavg)"
for run in $(seq "$runs"); do
    log "seal, run $run of $runs"
    rm -f "$dir/pkg.rage" "$dir/pkg.age" "$dir/pkg.indicia" "$dir/pkg.store"
    timed seal rage "$RAGE" -r "$recipient" -o "$dir/pkg.rage" "$dir/input"
    timed seal "Go age" "$GO_AGE" -r "$recipient" -o "$dir/pkg.age" "$dir/input"
    timed seal "indicia (1 pass, v2)" "$TOOL" "$dir/input" "$dir/pkg.indicia" "$recipient"
    cat "$dir/stdout" >&2
    timed seal-store "indicia Store::seal_case" "$TOOL" --store "$dir/input" "$dir/pkg.store" "$recipient"
    cat "$dir/stdout" >&2
    inner seal "Store::seal_case (1 pass)" 2
done
# Outputs stay for the open side; the tool's store run is only in the seal table (its whole
# process includes the store's setup).
sed -i '/^seal-store /d' "$results"

log "load before opening: $(cat /proc/loadavg)"
for run in $(seq "$runs"); do
    log "open, run $run of $runs"
    timed open rage "$RAGE" -d -i "$dir/key" -o /dev/null "$dir/pkg.rage"
    timed open "Go age" "$GO_AGE" -d -i "$dir/key" -o /dev/null "$dir/pkg.age"
    timed open "indicia (open+verify)" "$TOOL" --open "$dir/key" "$dir/pkg.indicia"
    cat "$dir/stdout" >&2
    timed open "indicia (store pkg)" "$TOOL" --open "$dir/key" "$dir/pkg.store"
done

echo
echo "$size_mib MiB, $runs runs each (median); wall time and peak RSS of the whole process"
echo "(/usr/bin/time) except the 'pass' and Store rows, which the tool measures inside."
echo "Ratios are time ratios: > 1 is slower than rage / Go age."
for side in seal open; do
    awk -v side="$side" -v mib="$size_mib" '
        $1 == side {
            tool = $2; for (i = 3; i <= NF - 2; i++) tool = tool " " $i
            if (!(tool in n)) order[++tools] = tool
            secs[tool, ++n[tool]] = $(NF - 1); kib[tool, n[tool]] = $NF
        }
        function median(arr, tool, count,    i, j, t, v) {
            for (i = 1; i <= count; i++) v[i] = arr[tool, i]
            for (i = 1; i <= count; i++) for (j = i + 1; j <= count; j++)
                if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
            return count % 2 ? v[(count + 1) / 2] : (v[count / 2] + v[count / 2 + 1]) / 2
        }
        END {
            for (k = 1; k <= tools; k++) {
                t = order[k]; s[t] = median(secs, t, n[t]); m[t] = median(kib, t, n[t])
                lo[t] = hi[t] = secs[t, 1]
                for (i = 2; i <= n[t]; i++) {
                    if (secs[t, i] + 0 < lo[t] + 0) lo[t] = secs[t, i]
                    if (secs[t, i] + 0 > hi[t] + 0) hi[t] = secs[t, i]
                }
            }
            printf "\n%-28s %8s %13s %9s %13s %9s %9s\n", side, "median s", "(min-max)", "MiB/s", "peak RSS MiB", "vs rage", "vs Go age"
            for (k = 1; k <= tools; k++) {
                t = order[k]
                printf "%-28s %8.3f %13s %9.0f %13.1f %9.2f %9.2f\n", t, s[t], \
                    sprintf("(%.3f-%.3f)", lo[t], hi[t]), mib / s[t], m[t] / 1024, \
                    s[t] / s["rage"], s[t] / s["Go age"]
            }
        }' "$results"
done

if [ "$many" -gt 0 ]; then
    echo
    log "open+verify $many small packages (one thread): load $(cat /proc/loadavg)"
    "$TOOL" --many "$many" | grep -v '^result:'
fi
