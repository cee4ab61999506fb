"""The uniffi Python bindings, as an LEA analyst's script uses them."""

import pytest

import indicia_core as model
import indicia_uniffi as indicia


def test_generated_identity_and_recipient_use_age_encodings():
    pair = indicia.generate_identity()
    assert pair.identity.startswith("AGE-SECRET-KEY-1")
    assert pair.recipient.startswith("age1")
    assert indicia.recipient_of(pair.identity) == pair.recipient


def test_seal_then_open_returns_the_same_bytes():
    pair = indicia.generate_identity()
    message = "Zabavené doklady, dlh sa nezmenšuje".encode()
    sealed = indicia.seal(message, [pair.recipient])
    assert message not in sealed
    assert indicia.open(sealed, pair.identity) == message


def test_armored_seal_opens_and_is_pem_framed():
    pair = indicia.generate_identity()
    text = indicia.seal_armored(b"armored", [pair.recipient])
    assert text.startswith("-----BEGIN AGE ENCRYPTED FILE-----")
    assert indicia.open(text.encode(), pair.identity) == b"armored"


def test_identity_file_text_with_comments_opens():
    pair = indicia.generate_identity()
    sealed = indicia.seal(b"x", [pair.recipient])
    key_file = f"# created: today\n# public key: {pair.recipient}\n{pair.identity}\n"
    assert indicia.open(sealed, key_file) == b"x"


def test_every_one_of_several_recipients_can_open():
    a, b = indicia.generate_identity(), indicia.generate_identity()
    sealed = indicia.seal(b"two units", [a.recipient, b.recipient])
    assert indicia.open(sealed, a.identity) == b"two units"
    assert indicia.open(sealed, b.identity) == b"two units"


def test_large_payload_round_trips():
    pair = indicia.generate_identity()
    payload = bytes(range(256)) * 1024
    assert indicia.open(indicia.seal(payload, [pair.recipient]), pair.identity) == payload


def test_malformed_recipient_names_its_position():
    good = indicia.generate_identity().recipient
    with pytest.raises(indicia.IndiciaError.MalformedRecipient, match="recipient 2"):
        indicia.seal(b"x", [good, "age1typo"])


def test_no_recipients_is_its_own_error():
    with pytest.raises(indicia.IndiciaError.NoRecipients):
        indicia.seal(b"x", [])


def test_wrong_identity_is_its_own_error():
    sealed = indicia.seal(b"x", [indicia.generate_identity().recipient])
    with pytest.raises(indicia.IndiciaError.WrongIdentity):
        indicia.open(sealed, indicia.generate_identity().identity)


def test_malformed_identity_is_reported_without_echoing_it():
    sealed = indicia.seal(b"x", [indicia.generate_identity().recipient])
    with pytest.raises(indicia.IndiciaError.MalformedIdentity) as caught:
        indicia.open(sealed, "AGE-SECRET-KEY-1NOTAREALKEY")
    assert "NOTAREALKEY" not in str(caught.value)


def test_altered_payload_is_corrupt_input():
    pair = indicia.generate_identity()
    sealed = bytearray(indicia.seal(b"x", [pair.recipient]))
    sealed[-1] ^= 1
    with pytest.raises(indicia.IndiciaError.CorruptInput):
        indicia.open(bytes(sealed), pair.identity)


def test_cut_short_file_is_truncated_input():
    pair = indicia.generate_identity()
    sealed = indicia.seal(b"x", [pair.recipient])
    with pytest.raises(indicia.IndiciaError.TruncatedInput):
        indicia.open(sealed[:40], pair.identity)


def test_non_age_input_is_corrupt_input():
    with pytest.raises(indicia.IndiciaError.CorruptInput):
        indicia.open(b"just some text, not an age file", indicia.generate_identity().identity)
