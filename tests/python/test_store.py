"""The encrypted case store from Python (support staff and analysts reading a handed-in device)."""

import pathlib

import pytest

import indicia_core as model
import indicia_uniffi as indicia

FAST = model.KdfParams(memory_kib=64, iterations=1, parallelism=1)  # tests only


class FakeKeystore(indicia.HostPlatformKey):
    """A platform key implemented in Python: XOR with a fixed pad (enough to test the plumbing)."""

    def __init__(self, pad: int):
        self.pad = pad

    def wrap(self, data_key: bytes) -> bytes:
        return bytes(b ^ self.pad for b in data_key)

    def unwrap(self, wrapped: bytes) -> bytes:
        return bytes(b ^ self.pad for b in wrapped)


class FakeHmacKey(indicia.HostDeviceSecret):
    """Stands in for a hardware HMAC key: HMAC-SHA256 under a key that stays in this object."""

    def __init__(self, seed: int):
        self.key = bytes([seed]) * 32

    def respond(self, challenge: bytes) -> bytes:
        import hashlib
        import hmac

        return hmac.new(self.key, challenge, hashlib.sha256).digest()


def test_a_copy_of_a_device_bound_store_with_the_pin_alone_opens_nothing(tmp_path: pathlib.Path):
    import shutil

    path = tmp_path / "field.db"
    store = indicia.CaseStore.create(str(path), "839201", FAST, FakeHmacKey(1))
    case = store.create_case("device-bound")
    store.lock()
    copy = tmp_path / "copy.db"
    shutil.copy(path, copy)
    if (tmp_path / "field.db-wal").exists():
        shutil.copy(tmp_path / "field.db-wal", tmp_path / "copy.db-wal")
    stolen = indicia.CaseStore.open(str(copy))
    assert stolen.is_device_bound()
    with pytest.raises(indicia.IndiciaError.DeviceSecretRequired):
        stolen.unlock("839201")
    with pytest.raises(indicia.IndiciaError.WrongPin):
        stolen.unlock_with_device("839201", FakeHmacKey(2))
    store.unlock_with_device("839201", FakeHmacKey(1))
    assert [c.id for c in store.list_cases()] == [case]


@pytest.mark.parametrize("weak", ["1", "1234", "password1", "qwertyuiop"])
def test_weak_pins_are_refused_by_the_core(weak: str):
    with pytest.raises(indicia.IndiciaError.WeakPin):
        indicia.CaseStore.create_in_memory(weak, FAST)


def test_arguments_out_of_range_are_invalid_argument_and_bad_answers_invalid_answer():
    """The two kinds are not mixed up: KDF parameters or a note over its limit are the host's
    argument; an answer of the wrong shape is an answer."""
    with pytest.raises(indicia.IndiciaError.InvalidArgument):
        indicia.CaseStore.create_in_memory("tidal-amber-orchard", model.KdfParams(memory_kib=4 * 1024 * 1024, iterations=1, parallelism=1))
    store = indicia.CaseStore.create_in_memory("tidal-amber-orchard", FAST)
    case = store.create_case("t", "first-contact")
    with pytest.raises(indicia.IndiciaError.InvalidArgument):
        store.add_note(case, "x" * 20_001)
    with pytest.raises(indicia.IndiciaError.InvalidAnswer):
        store.save_answer(case, "age_group", '{"nested": true}')
    assert store.notes(case) == [] and store.answers_json(case) == "{}"


def test_a_case_keeps_its_checklist_language_and_refuses_one_the_checklist_lacks():
    store = indicia.CaseStore.create_in_memory("tidal-amber-orchard", FAST)
    case = store.create_case("t", "first-contact", "bg")
    assert store.get_case(case).language == "bg"
    with pytest.raises(indicia.IndiciaError.InvalidArgument):
        store.create_case("t", "first-contact", "xx")
    assert len(store.list_cases()) == 1


def test_rekey_puts_the_store_under_the_new_pin(tmp_path: pathlib.Path):
    path = str(tmp_path / "field.db")
    store = indicia.CaseStore.create(path, "tidal-amber-orchard", FAST)
    case = store.create_case("kept")
    store.rekey("tidal-amber-orchard", "copper kettle moonrise", FAST)
    again = indicia.CaseStore.open(path)
    with pytest.raises(indicia.IndiciaError.WrongPin):
        again.unlock("tidal-amber-orchard")
    again.unlock("copper kettle moonrise")
    assert [c.id for c in again.list_cases()] == [case]


def test_case_answers_and_notes_survive_lock_and_reopen(tmp_path: pathlib.Path):
    path = str(tmp_path / "field.db")
    store = indicia.CaseStore.create(path, "tidal-amber-orchard", FAST)
    case = store.create_case("Clinic visit")
    store.save_answer(case, "sector", '["agriculture"]')
    store.add_note(case, "came with a supervisor")
    store.lock()
    with pytest.raises(indicia.IndiciaError.StoreLocked):
        store.list_cases()
    again = indicia.CaseStore.open(path)
    again.unlock("tidal-amber-orchard")
    assert [c.title for c in again.list_cases()] == ["Clinic visit"]
    assert again.answers_json(case) == '{"sector":["agriculture"]}'
    assert [n.text for n in again.notes(case)] == ["came with a supervisor"]


def test_files_on_disk_hold_no_case_text(tmp_path: pathlib.Path):
    store = indicia.CaseStore.create(str(tmp_path / "field.db"), "tidal-amber-orchard", FAST)
    case = store.create_case("PY-TITLE-MARKER")
    store.add_note(case, "PY-NOTE-MARKER")
    store.save_answer(case, "worker_note", '"PY-ANSWER-MARKER"')
    blobs = [p.read_bytes() for p in tmp_path.iterdir() if p.is_file()]
    assert blobs
    for marker in (b"PY-TITLE-MARKER", b"PY-NOTE-MARKER", b"PY-ANSWER-MARKER", b"worker_note"):
        assert all(marker not in blob for blob in blobs)


def test_wrong_pin_wiped_and_missing_store_are_distinct(tmp_path: pathlib.Path):
    path = str(tmp_path / "field.db")
    store = indicia.CaseStore.create(path, "tidal-amber-orchard", FAST)
    assert store.attempts_left() is None
    store.set_wipe_after(2)
    store.lock()
    assert store.attempts_left() == 2
    with pytest.raises(indicia.IndiciaError.WrongPin, match="1 attempts left"):
        store.unlock("0000")
    assert store.attempts_left() == 1
    with pytest.raises(indicia.IndiciaError.StoreWiped):
        store.unlock("1111")
    with pytest.raises(indicia.IndiciaError.NoStore):
        indicia.CaseStore.open(path)


def test_change_pin_keeps_data():
    store = indicia.CaseStore.create_in_memory("tidal-amber-orchard", FAST)
    case = store.create_case("t")
    with pytest.raises(indicia.IndiciaError.WrongPin):
        store.change_pin("9999", "copper kettle moonrise", FAST)
    store.change_pin("tidal-amber-orchard", "copper kettle moonrise", FAST)
    store.lock()
    with pytest.raises(indicia.IndiciaError.WrongPin):
        store.unlock("tidal-amber-orchard")
    store.unlock("copper kettle moonrise")
    assert [c.id for c in store.list_cases()] == [case]


def test_platform_key_from_python_unlocks():
    store = indicia.CaseStore.create_in_memory("tidal-amber-orchard", FAST)
    store.create_case("t")
    store.add_platform_key(FakeKeystore(0x5A))
    store.lock()
    with pytest.raises(indicia.IndiciaError.StoreFailure):
        store.unlock_with_platform_key(FakeKeystore(0x33))
    store.unlock_with_platform_key(FakeKeystore(0x5A))
    assert len(store.list_cases()) == 1


def test_quick_delete_leaves_no_files(tmp_path: pathlib.Path):
    path = str(tmp_path / "field.db")
    store = indicia.CaseStore.create(path, "tidal-amber-orchard", FAST)
    store.create_case("t")
    store.quick_delete()
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(indicia.IndiciaError.NoStore):
        indicia.CaseStore.open(path)


def test_attachments_round_trip_and_are_checked():
    store = indicia.CaseStore.create_in_memory("tidal-amber-orchard", FAST)
    case = store.create_case("t")
    data = bytes(range(256)) * 1000
    info = store.add_attachment(case, "photo.jpg", "image/jpeg", data)
    assert info.size == len(data) and len(info.sha256) == 64
    assert [a.name for a in store.attachments(case)] == ["photo.jpg"]
    assert store.read_attachment(case, info.id) == data
    with pytest.raises(indicia.IndiciaError.NotFound):
        store.read_attachment(case, "0" * 32)


def test_a_row_put_back_to_an_older_copy_is_store_tampered(tmp_path: pathlib.Path):
    """An analyst's or attacker's edit of one sealed row is caught at unlock, not read as data."""
    import sqlite3

    path = tmp_path / "field.db"
    store = indicia.CaseStore.create(str(path), "tidal-amber-orchard", FAST)
    store.create_case("first")
    store.lock()
    del store

    def rows():
        with sqlite3.connect(path) as db:
            return {k: (v, n, b) for k, v, n, b in db.execute("SELECT key, version, nonce, value FROM sealed")}

    before = rows()
    store = indicia.CaseStore.open(str(path))
    store.unlock("tidal-amber-orchard")
    store.create_case("second")
    store.lock()
    del store
    changed = [k for k, row in rows().items() if k in before and before[k] != row]
    assert changed, "the second case rewrote no existing row"
    with sqlite3.connect(path) as db:
        db.execute("UPDATE sealed SET version = ?, nonce = ?, value = ? WHERE key = ?", (*before[changed[0]], changed[0]))
    again = indicia.CaseStore.open(str(path))
    with pytest.raises(indicia.IndiciaError.StoreTampered):
        again.unlock("tidal-amber-orchard")


class Counter(indicia.HostRollbackCounter):
    """A monotonic counter outside the store's files (the hardware counter's stand-in)."""

    def __init__(self):
        self.value = 0

    def read(self) -> int:
        return self.value

    def advance(self, value: int) -> None:
        self.value = max(self.value, value)


def test_a_whole_older_copy_of_the_store_is_caught_by_the_rollback_counter(tmp_path: pathlib.Path):
    import shutil

    path = tmp_path / "field.db"
    old = tmp_path / "old"
    old.mkdir()
    counter = Counter()
    store = indicia.CaseStore.create(str(path), "tidal-amber-orchard", FAST)
    store.set_rollback_counter(counter)
    store.create_case("first")
    store.lock()
    del store
    for f in tmp_path.glob("field.db*"):
        shutil.copy(f, old / f.name)
    store = indicia.CaseStore.open(str(path))
    store.set_rollback_counter(counter)
    store.unlock("tidal-amber-orchard")
    store.create_case("second")
    store.lock()
    del store
    assert counter.value > 0
    for f in tmp_path.glob("field.db*"):
        f.unlink()
    for f in old.iterdir():
        shutil.copy(f, tmp_path / f.name)
    # Consistent on disk: without the counter the old copy opens ...
    plain = indicia.CaseStore.open(str(path))
    plain.unlock("tidal-amber-orchard")
    assert [c.title for c in plain.list_cases()] == ["first"]
    del plain
    # ... with it, the rollback is refused.
    again = indicia.CaseStore.open(str(path))
    again.set_rollback_counter(counter)
    with pytest.raises(indicia.IndiciaError.StoreTampered):
        again.unlock("tidal-amber-orchard")
