#!/usr/bin/env bash
# Made the frozen schema-2 databases in this folder (see README.md). Kept as the record of how; it
# ran once, with the CLI of commit 5da4584 (the last before vault schema 3), built with the
# test-kdf feature:
#
#   git worktree add /work/freeze-v2 5da4584
#   cd /work/freeze-v2 && CARGO_TARGET_DIR=target-cli cargo build -p indicia-cli --features test-kdf
#   cd /work/main && INDICIA=/work/freeze-v2/target-cli/debug/indicia \
#       tests/vectors/vault-schema2/freeze.sh /tmp/fv2
#
# The vectors must never be regenerated: their point is that the old code wrote them.
set -euo pipefail
: "${INDICIA:?the indicia CLI of commit 5da4584}"
out=$1
repo=$(cd "$(dirname "$0")/../../.." && pwd)
[ ! -e "$out" ] || { echo "freeze: $out exists; a vector is never overwritten" >&2; exit 1; }
mkdir -p "$out"
cd "$out"
export INDICIA_TEST_KDF=1
indicia() { "$INDICIA" "$@"; }

printf 'correct horse battery staple\n' >unit.pass
printf 'tidal-amber-orchard\n' >store.pin
# The unit's identity is the published test key of the package-v2 vectors, so that their valid
# packages (one and two attachments, armored) go in as they are.
cp "$repo/tests/vectors/package-v2/unit.key" unit.key
unit=(--db receiver.sqlite --passphrase-file unit.pass)
indicia init "${unit[@]}" -i unit.key --name "National THB unit"
indicia unit-card "${unit[@]}" -o unit-card.json 2>/dev/null
vector_device=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["public_key"])' \
    "$repo/tests/vectors/package-v2/device.json")
indicia trust add "${unit[@]}" --device "$vector_device" --organisation sk.example-ngo --label "vector device"

# A field store: a unit card, two cases on the built-in first-contact checklist, both sealed.
store=(--pin-file store.pin)
indicia store create store.sqlite "${store[@]}"
indicia store add-unit store.sqlite unit-card.json "${store[@]}" >/dev/null
device=$(indicia store device-key store.sqlite "${store[@]}" | awk '{print $1}')
indicia trust add "${unit[@]}" --device "$device" --organisation es.example-ngo --label "field store"
cat >answers.json <<'ANSWERS'
{"age_group": "adult", "sector": ["agriculture"], "long_hours": "yes", "low_or_no_pay": "yes",
 "documents_held": "yes", "debt": "yes", "deceived_about_job": "yes",
 "recruitment_debt_documents": "yes"}
ANSWERS
printf 'Farm near the border\n' >title1.txt
printf 'Car wash on the ring road\n' >title2.txt
printf 'Recruiter called from +421 905 123 456; passport kept by the employer.\n' >note1.txt
printf 'Trabajador visto dos veces en el mercado.\n' >note2.txt
case1=$(indicia store new-case store.sqlite "${store[@]}" --checklist builtin:first-contact \
    --title-file title1.txt --answers answers.json --note-file note1.txt)
case2=$(indicia store new-case store.sqlite "${store[@]}" --checklist builtin:first-contact \
    --title-file title2.txt --note-file note2.txt)
mkdir inbox
indicia store seal store.sqlite "$case1" "${store[@]}" --organisation es.example-ngo -o inbox/case1.age
indicia store seal store.sqlite "$case2" "${store[@]}" --organisation es.example-ngo -o inbox/case2.age
cp "$repo"/tests/vectors/package-v2/valid/*.age inbox/
indicia ingest "${unit[@]}" -i unit.key inbox

# A receipt back to the field store, a quarantined report, a revoked device.
first=$(indicia list "${unit[@]}" | awk -F'\t' '$2 == "es.example-ngo" {print $1; exit}')
printf 'Thank you. We are looking into it.\n' >receipt-note.txt
indicia receipt "${unit[@]}" "$first" --status investigating --note-file receipt-note.txt -o receipt.age
indicia store import-receipt store.sqlite receipt.age "${store[@]}"
indicia quarantine "${unit[@]}" 00000000000000000000000000000002 --reason "checking the source"
indicia trust revoke "${unit[@]}" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["key_id"])' \
    "$repo/tests/vectors/package-v2/device.json")"

# What the old CLI reads back: the test expects the same from every later one.
indicia export "${unit[@]}" --format json >expected-export.json
indicia list "${unit[@]}" >expected-list.txt
indicia verify "${unit[@]}" >expected-verify.txt
indicia trust list "${unit[@]}" >expected-trust.txt
indicia store list store.sqlite "${store[@]}" >expected-store-list.txt
rm -rf inbox answers.json title*.txt note*.txt receipt-note.txt receipt.age
for db in receiver.sqlite store.sqlite; do
    for suffix in -wal -shm -journal; do
        [ ! -e "$db$suffix" ] || { echo "freeze: $db$suffix left over" >&2; exit 1; }
    done
    sha256sum "$db"
done
