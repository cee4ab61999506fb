// Receipts end to end through the uniffi binding: a field store (the Android app's) seals a case
// to a receiving unit's card; a Receiver (the unit's database) trusts the device key, ingests the
// package and issues a signed receipt; the store imports it and the case becomes acknowledged and
// deletable. Receipts from a unit the device does not know, garbled ones, ones for another device
// and ones for a case the store does not have are each refused with their own exception. A
// receipt issued here for the run's receiver key is left for Python (tests/python/test_receiver.py).
package org.indicia.tests

import java.io.File
import java.nio.file.Files
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNull
import kotlin.test.assertTrue
import org.indicia.core.CaseStore
import org.indicia.core.IndiciaException
import org.indicia.core.KeyPair
import org.indicia.core.Receiver
import org.indicia.core.generateIdentity
import org.indicia.core.model.CaseStatus
import org.indicia.core.model.Duplicate
import org.indicia.core.model.KdfParams
import org.indicia.core.model.ReceiptStatus
import org.indicia.core.model.TrustKind
import org.indicia.core.seal
import org.indicia.core.unitCardFingerprint

// Cheap Argon2 for tests only.
private val cheapKdf = KdfParams(64u, 1u, 1u)
private const val ORG = "sk.example-ngo"

private class ReceivingUnit(val identity: KeyPair, val receiver: Receiver)

/** A receiving unit: its age identity and a file-backed Receiver database. */
private fun newUnit(name: String = "National THB unit", identity: KeyPair = generateIdentity()): ReceivingUnit {
    val path = Files.createTempDirectory("indicia-receiver").resolve("receiver.db").toString()
    return ReceivingUnit(identity, Receiver.create(path, "correct horse battery", cheapKdf, name, identity.recipient))
}

/** A field store that knows `unit`'s card, with one draft case. */
private fun fieldStore(unit: ReceivingUnit): Pair<CaseStore, String> {
    val store = CaseStore.createInMemory("tidal-amber-orchard", cheapKdf)
    store.addUnit(unit.receiver.unitCardJson())
    val case = store.createCase("Harbour")
    store.saveAnswer(case, "age_group", "\"adult\"")
    store.addNote(case, "met at the bus station")
    return store to case
}

/** Seals the store's case to `unit`, which trusts the device and ingests the package. */
private fun sealAndIngest(store: CaseStore, case: String, unit: ReceivingUnit, replyTo: List<String> = emptyList()): String {
    val keyId = store.units().first { it.recipient == unit.identity.recipient }.signingKey.keyId
    val sealed = store.sealCase(case, ORG, listOf(keyId), replyTo, false)
    store.confirmSealed(case, sealed.reportId)
    unit.receiver.trustAddDevice(store.deviceInfo().publicKey, ORG, null)
    val outcome = unit.receiver.ingestBytes(sealed.`package`, listOf(unit.identity.identity), "kotlin")
    assertNull(outcome.duplicate)
    return outcome.reportId
}

private fun ByteArray.flipped(at: Int): ByteArray = copyOf().also { it[at] = (it[at].toInt() xor 0x40).toByte() }

private val cardVectors = File("tests/vectors/unit-card-v2")

internal fun registerReceiptTests() {
    test("a unit card's fingerprint is the one its vector records; an altered or unsigned card is refused") {
        val expected = File(cardVectors, "expected.json").readText()
        // expected.json → valid → card.json → fingerprint (the first one the file lists).
        val want = Regex("\"card\\.json\": \\{[^}]*\"fingerprint\": \"([0-9 ]+)\"").find(expected)!!.groupValues[1]
        val store = CaseStore.createInMemory("tidal-amber-orchard", cheapKdf)
        val card = store.addUnit(File(cardVectors, "valid/card.json").readText())
        assertEquals(want, unitCardFingerprint(card))
        assertEquals(listOf(want), store.units().map { unitCardFingerprint(it) })
        assertFailsWith<IndiciaException.BadSignature> { store.addUnit(File(cardVectors, "reject/altered-name.json").readText()) }
        assertFailsWith<IndiciaException.UnsupportedInput> { store.addUnit(File(cardVectors, "reject/unsigned-v1.json").readText()) }
        assertEquals(1, store.units().size)
        // The unit's own card, as its Receiver hands it out: signed, and shown alike on the device.
        val unit = newUnit()
        val added = store.addUnit(unit.receiver.unitCardJson())
        assertEquals(128, added.signature!!.length)
        assertTrue(Regex("\\d{5} \\d{5} \\d{5} \\d{5}").matches(unitCardFingerprint(added)))
    }

    test("a receipt from the unit acknowledges the case, which becomes deletable; the same receipt again changes nothing") {
        val unit = newUnit()
        val store = CaseStore.createInMemory("tidal-amber-orchard", cheapKdf)
        val card = store.addUnit(unit.receiver.unitCardJson())
        assertEquals("National THB unit", card.name)
        assertEquals(unit.identity.recipient, card.recipient)
        assertEquals(listOf(card.signingKey.keyId), store.units().map { it.signingKey.keyId })
        val case = store.createCase("Harbour")
        store.saveAnswer(case, "age_group", "\"adult\"")
        val sealed = store.sealCase(case, ORG, listOf(card.signingKey.keyId), emptyList(), false)
        store.confirmSealed(case, sealed.reportId)
        store.listCases().single().let {
            assertEquals(CaseStatus.SEALED, it.status)
            assertFalse(it.deletable)
            assertNull(it.receiptStatus)
        }
        assertFailsWith<IndiciaException.InvalidState> { store.deleteCase(case, false) }

        // The unit refuses the package until it trusts the device key.
        val device = store.deviceInfo()
        assertFailsWith<IndiciaException.UntrustedSigner> {
            unit.receiver.ingestBytes(sealed.`package`, listOf(unit.identity.identity), "kotlin")
        }
        val entry = unit.receiver.trustAddDevice(device.publicKey, ORG, "tablet 1")
        assertEquals(TrustKind.DEVICE, entry.kind)
        assertEquals(device.keyId, entry.keyId)
        val outcome = unit.receiver.ingestBytes(sealed.`package`, listOf(unit.identity.identity), "kotlin")
        assertEquals(sealed.reportId, outcome.reportId)
        assertEquals(sealed.contentHash, outcome.contentHash)
        assertNull(outcome.duplicate)
        val again = unit.receiver.ingestBytes(sealed.`package`, listOf(unit.identity.identity), "kotlin")
        assertEquals(Duplicate.ReportId(sealed.reportId), again.duplicate)
        assertEquals("Harbour", unit.receiver.list().single().title)

        val receipt = unit.receiver.issueReceipt(sealed.reportId.substring(0, 8), ReceiptStatus.RECEIVED, "Thank you")
        assertEquals(ReceiptStatus.RECEIVED, unit.receiver.list().single().receiptStatus)
        val imported = store.importReceipt(receipt)
        assertTrue(imported.new)
        assertEquals(case, imported.caseId)
        assertEquals(sealed.reportId, imported.reportId)
        assertEquals(ReceiptStatus.RECEIVED, imported.status)
        assertEquals("Thank you", imported.note)
        assertEquals("National THB unit", imported.unitName)
        assertEquals(CaseStatus.ACKNOWLEDGED, imported.caseStatus)
        store.listCases().single().let {
            assertEquals(CaseStatus.ACKNOWLEDGED, it.status)
            assertTrue(it.deletable)
            assertEquals(ReceiptStatus.RECEIVED, it.receiptStatus)
        }

        val repeated = store.importReceipt(receipt)
        assertFalse(repeated.new)
        assertEquals(CaseStatus.ACKNOWLEDGED, repeated.caseStatus)
        assertEquals(1, store.custodyLog(case).count { it.event == "receipt_imported" })

        val later = store.importReceipt(unit.receiver.issueReceipt(sealed.reportId, ReceiptStatus.INVESTIGATING, null))
        assertTrue(later.new)
        assertNull(later.note)
        assertEquals(ReceiptStatus.INVESTIGATING, store.listCases().single().receiptStatus)
        store.deleteCase(case, false)
        assertTrue(store.listCases().isEmpty())
    }

    test("a receipt from a unit the device does not know is UntrustedSigner, also after the unit is removed") {
        val unit = newUnit()
        val (store, case) = fieldStore(unit)
        val reportId = sealAndIngest(store, case, unit)
        // Same age identity (it can open the package), but another signing key: not the card's.
        val impostor = newUnit("National THB unit", unit.identity)
        impostor.receiver.trustAddDevice(store.deviceInfo().publicKey, ORG, null)
        impostor.receiver.ingestBytes(
            store.sealCase(store.createCase("decoy"), ORG, emptyList(), emptyList(), false).`package`,
            listOf(unit.identity.identity),
            "kotlin",
        )
        val decoyReport = impostor.receiver.list().single().reportId
        assertFailsWith<IndiciaException.UntrustedSigner> {
            store.importReceipt(impostor.receiver.issueReceipt(decoyReport, ReceiptStatus.RECEIVED, null))
        }

        val genuine = unit.receiver.issueReceipt(reportId, ReceiptStatus.RECEIVED, null)
        val keyId = store.units().single().signingKey.keyId
        assertTrue(store.removeUnit(keyId))
        assertFalse(store.removeUnit(keyId))
        assertFailsWith<IndiciaException.UntrustedSigner> { store.importReceipt(genuine) }
        assertEquals(CaseStatus.SEALED, store.listCases().first { it.id == case }.status)
        store.addUnit(unit.receiver.unitCardJson())
        assertEquals(CaseStatus.ACKNOWLEDGED, store.importReceipt(genuine).caseStatus)
    }

    test("garbled, foreign and mismatched receipts are refused with precise exceptions") {
        val unit = newUnit()
        val (store, case) = fieldStore(unit)
        val reportId = sealAndIngest(store, case, unit)
        val receipt = unit.receiver.issueReceipt(reportId, ReceiptStatus.RECEIVED, null)

        assertFailsWith<IndiciaException.CorruptInput> { store.importReceipt(receipt.flipped(receipt.size - 20)) }
        assertFailsWith<IndiciaException.TruncatedInput> { store.importReceipt(receipt.copyOf(30)) }
        assertFailsWith<IndiciaException.CorruptInput> { store.importReceipt("not a receipt".toByteArray()) }
        // Decrypt with the store's reply identity, but hold no receipt / a cut one.
        val reply = listOf(store.replyRecipient())
        assertFailsWith<IndiciaException.CorruptInput> {
            store.importReceipt(seal("a note to the device, not a signed receipt".toByteArray(), reply))
        }
        assertFailsWith<IndiciaException.TruncatedInput> {
            store.importReceipt(seal("INDICIA-RECEIPT\u0001".toByteArray(), reply))
        }

        // A receipt for another device's report is not encrypted to this store.
        val (other, otherCase) = fieldStore(unit)
        val otherReport = sealAndIngest(other, otherCase, unit)
        assertFailsWith<IndiciaException.WrongIdentity> {
            store.importReceipt(unit.receiver.issueReceipt(otherReport, ReceiptStatus.RECEIVED, null))
        }
        // Encrypted to this store too (the other device named it in reply_to), but for a case it
        // does not have.
        val (third, thirdCase) = fieldStore(unit)
        val thirdReport = sealAndIngest(third, thirdCase, unit, listOf(store.replyRecipient()))
        assertFailsWith<IndiciaException.InvalidState> {
            store.importReceipt(unit.receiver.issueReceipt(thirdReport, ReceiptStatus.RECEIVED, null))
        }
        assertEquals(CaseStatus.SEALED, store.listCases().single().status)

        assertFailsWith<IndiciaException.NotFound> { unit.receiver.issueReceipt("ffffffffffffffff", ReceiptStatus.RECEIVED, null) }
        assertFailsWith<IndiciaException.CorruptInput> { store.addUnit("{\"format\":\"indicia-unit/1\"}") }
        assertEquals(CaseStatus.ACKNOWLEDGED, store.importReceipt(receipt).caseStatus)
    }

    test("a report whose device key was revoked is marked and gets a receipt only when asked for one on purpose") {
        val unit = newUnit()
        val (store, case) = fieldStore(unit)
        val reportId = sealAndIngest(store, case, unit)
        unit.receiver.trustRevoke(store.deviceInfo().keyId)
        assertTrue(unit.receiver.list().single().signerRevoked)
        assertTrue(unit.receiver.list(excludeRevoked = true).isEmpty())
        // The receipt would reach the stolen device's reply key.
        assertFailsWith<IndiciaException.UntrustedSigner> {
            unit.receiver.issueReceipt(reportId, ReceiptStatus.RECEIVED, null)
        }
        assertNull(unit.receiver.list().single().receiptStatus)
        unit.receiver.issueReceipt(reportId, ReceiptStatus.RECEIVED, null, toRevokedSigner = true)
        assertEquals(ReceiptStatus.RECEIVED, unit.receiver.list().single().receiptStatus)
    }

    test("a stored report re-verifies from the kept signature; quarantine and deletion are in its custody log") {
        val unit = newUnit()
        val (store, case) = fieldStore(unit)
        val reportId = sealAndIngest(store, case, unit)
        val check = unit.receiver.verifyReport(reportId.substring(0, 8))
        assertEquals(reportId, check.reportId)
        assertEquals(store.deviceInfo().keyId, check.deviceKeyId)
        val bundle = unit.receiver.evidence(reportId)
        assertEquals(64, bundle.signature.size)
        assertTrue(bundle.publicKeyPem.startsWith("-----BEGIN PUBLIC KEY-----"))
        // Package v2: the one signature covers the header, then the manifest's SHA-256, then each
        // attachment's SHA-256 (docs/evidence.md).
        val manifestDigest = java.security.MessageDigest.getInstance("SHA-256").digest(bundle.manifest)
        val at = bundle.signedMessage.size - 32 * (bundle.attachments.size + 1)
        assertTrue(bundle.signedMessage.copyOfRange(at, at + 32).contentEquals(manifestDigest))
        unit.receiver.quarantine(reportId, "checking the source")
        assertTrue(unit.receiver.list().single().quarantined)
        assertFailsWith<IndiciaException.InvalidState> { unit.receiver.deleteReport(reportId, "") }
        unit.receiver.deleteReport(reportId, "entered twice")
        assertTrue(unit.receiver.list().isEmpty())
        assertEquals(
            listOf("received", "evidence_exported", "quarantined", "deleted"),
            unit.receiver.custody(reportId).map { it.event },
        )
        assertFailsWith<IndiciaException.NotFound> { unit.receiver.verifyReport(reportId) }
    }

    test("a receipt issued in Kotlin for the run's receiver key is left for Python") {
        val crossDir = System.getenv("INDICIA_CROSS_DIR") ?: return@test
        val receiverKey = File(crossDir, "receiver.key").readText()
        val recipient = receiverKey.lines().first { it.startsWith("# public key: ") }.removePrefix("# public key: ")
        val unit = newUnit("Kotlin test unit")
        val (store, case) = fieldStore(unit)
        // The organisation's coordinator (the run's receiver key) gets the receipts too.
        val reportId = sealAndIngest(store, case, unit, listOf(recipient))
        val receipt = unit.receiver.issueReceipt(reportId, ReceiptStatus.REFERRED, "KOTLIN-RECEIPT-MARKER")
        assertEquals(ReceiptStatus.REFERRED, store.importReceipt(receipt).status)
        File(crossDir, "kotlin-receipt.age").writeBytes(receipt)
        File(crossDir, "kotlin-receipt.json").writeText(
            "{\"report_id\":\"$reportId\",\"case_id\":\"$case\",\"status\":\"referred\"," +
                "\"unit_key_id\":\"${store.units().single().signingKey.keyId}\"}",
        )
    }
}
