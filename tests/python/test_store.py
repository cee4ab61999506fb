"""The encrypted case store from Python (support staff and analysts reading a handed-in device)."""

import pathlib

import pytest

import indicia_uniffi as indicia

FAST = indicia.KdfSettings(memory_kib=64, iterations=1, parallelism=1)  # tests only


class FakeKeystore(indicia.HostPlatformKey):
    """A platform key implemented in Python: XOR with a fixed pad (enough to test the plumbing)."""

    def __init__(self, pad: int):
        self.pad = pad

    def wrap(self, data_key: bytes) -> bytes:
        return bytes(b ^ self.pad for b in data_key)

    def unwrap(self, wrapped: bytes) -> bytes:
        return bytes(b ^ self.pad for b in wrapped)


def test_case_answers_and_notes_survive_lock_and_reopen(tmp_path: pathlib.Path):
    path = str(tmp_path / "field.db")
    store = indicia.CaseStore.create(path, "2468", FAST)
    case = store.create_case("Clinic visit")
    store.save_answer(case, "sector", '["agriculture"]')
    store.add_note(case, "came with a supervisor")
    store.lock()
    with pytest.raises(indicia.IndiciaError.StoreLocked):
        store.list_cases()
    again = indicia.CaseStore.open(path)
    again.unlock("2468")
    assert [c.title for c in again.list_cases()] == ["Clinic visit"]
    assert again.answers_json(case) == '{"sector":["agriculture"]}'
    assert [n.text for n in again.notes(case)] == ["came with a supervisor"]


def test_files_on_disk_hold_no_case_text(tmp_path: pathlib.Path):
    store = indicia.CaseStore.create(str(tmp_path / "field.db"), "2468", FAST)
    case = store.create_case("PY-TITLE-MARKER")
    store.add_note(case, "PY-NOTE-MARKER")
    store.save_answer(case, "worker_note", '"PY-ANSWER-MARKER"')
    blobs = [p.read_bytes() for p in tmp_path.iterdir() if p.is_file()]
    assert blobs
    for marker in (b"PY-TITLE-MARKER", b"PY-NOTE-MARKER", b"PY-ANSWER-MARKER", b"worker_note"):
        assert all(marker not in blob for blob in blobs)


def test_wrong_pin_wiped_and_missing_store_are_distinct(tmp_path: pathlib.Path):
    path = str(tmp_path / "field.db")
    store = indicia.CaseStore.create(path, "2468", FAST)
    store.set_wipe_after(2)
    store.lock()
    with pytest.raises(indicia.IndiciaError.WrongPin, match="1 attempts left"):
        store.unlock("0000")
    with pytest.raises(indicia.IndiciaError.StoreWiped):
        store.unlock("1111")
    with pytest.raises(indicia.IndiciaError.NoStore):
        indicia.CaseStore.open(path)


def test_change_pin_keeps_data():
    store = indicia.CaseStore.create_in_memory("1111", FAST)
    case = store.create_case("t")
    with pytest.raises(indicia.IndiciaError.WrongPin):
        store.change_pin("9999", "2222", FAST)
    store.change_pin("1111", "2222", FAST)
    store.lock()
    with pytest.raises(indicia.IndiciaError.WrongPin):
        store.unlock("1111")
    store.unlock("2222")
    assert [c.id for c in store.list_cases()] == [case]


def test_platform_key_from_python_unlocks():
    store = indicia.CaseStore.create_in_memory("1111", FAST)
    store.create_case("t")
    store.add_platform_key(FakeKeystore(0x5A))
    store.lock()
    with pytest.raises(indicia.IndiciaError.StoreFailure):
        store.unlock_with_platform_key(FakeKeystore(0x33))
    store.unlock_with_platform_key(FakeKeystore(0x5A))
    assert len(store.list_cases()) == 1


def test_quick_delete_leaves_no_files(tmp_path: pathlib.Path):
    path = str(tmp_path / "field.db")
    store = indicia.CaseStore.create(path, "2468", FAST)
    store.create_case("t")
    store.quick_delete()
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(indicia.IndiciaError.NoStore):
        indicia.CaseStore.open(path)


def test_attachments_round_trip_and_are_checked():
    store = indicia.CaseStore.create_in_memory("1111", FAST)
    case = store.create_case("t")
    data = bytes(range(256)) * 1000
    info = store.add_attachment(case, "photo.jpg", "image/jpeg", data)
    assert info.size == len(data) and len(info.sha256) == 64
    assert [a.name for a in store.attachments(case)] == ["photo.jpg"]
    assert store.read_attachment(case, info.id) == data
    with pytest.raises(indicia.IndiciaError.NotFound):
        store.read_attachment(case, "0" * 32)
