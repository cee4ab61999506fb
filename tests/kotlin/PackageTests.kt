// Report packages from Kotlin, as the field app seals them: a case from the store becomes a
// signed, age-sealed package for the receiving unit; the case is then sealed. A package sealed
// here for the run's receiver key is left for Python to open (tests/python/test_package.py).
package org.indicia.tests

import java.io.File
import java.nio.file.Files
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertTrue
import org.indicia.core.CaseStore
import org.indicia.core.IndiciaException
import org.indicia.core.KeyPair
import org.indicia.core.Receiver
import org.indicia.core.generateIdentity
import org.indicia.core.model.CaseStatus
import org.indicia.core.model.KdfParams
import org.indicia.core.openReport
import org.indicia.core.sealReport

private val testKdf = KdfParams(64u, 1u, 1u)

/**
 * The signed card (JSON) of a receiving unit whose reports go to age `recipient`, from a
 * throw-away Receiver database: what a store is given with `addUnit` and seals to.
 */
internal fun unitCardFor(recipient: String, name: String = "National THB unit"): String {
    val path = Files.createTempDirectory("indicia-unit").resolve("receiver.db").toString()
    return Receiver.create(path, "correct horse battery", testKdf, name, recipient).unitCardJson()
}

/** Gives `store` the card of a unit for `identity`; returns the card's signing key id. */
internal fun addUnitFor(store: CaseStore, identity: KeyPair): String =
    store.addUnit(unitCardFor(identity.recipient)).signingKey.keyId

/** A store with one draft case on the first-contact checklist, answered, with a note and a photo. */
private fun storeWithCase(): Pair<CaseStore, String> {
    val store = CaseStore.createInMemory("tidal-amber-orchard", testKdf)
    val case = store.createCase("Harbour", "first-contact")
    // The answers tests/python/test_package.py (ASSESSED_ANSWERS) compares across layers.
    store.saveAnswer(case, "age_group", "\"adult\"")
    store.saveAnswer(case, "documents_held", "\"yes\"")
    store.saveAnswer(case, "debt", "\"yes\"")
    store.saveAnswer(case, "worker_note", "\"KOTLIN-PACKAGE-MARKER\"")
    store.addNote(case, "met at the bus station")
    store.addAttachment(case, "photo.jpg", "image/jpeg", ByteArray(100_000) { (it % 241).toByte() })
    return store to case
}

internal fun registerPackageTests() {
    test("a case cannot start on a checklist that is not built in") {
        val store = CaseStore.createInMemory("tidal-amber-orchard", testKdf)
        assertFailsWith<IndiciaException.UnknownChecklist> { store.createCase("t", "no-such-checklist") }
        assertTrue(store.listCases().isEmpty())
    }

    test("a case keeps its checklist language; one the checklist lacks is InvalidArgument") {
        val store = CaseStore.createInMemory("tidal-amber-orchard", testKdf)
        val case = store.createCase("t", "first-contact", "uk")
        assertEquals("uk", store.getCase(case).language)
        assertFailsWith<IndiciaException.InvalidArgument> { store.createCase("t", "first-contact", "xx") }
        assertEquals(1, store.listCases().size)
    }

    test("a case sealed in Kotlin opens with the unit's identity and the case becomes sealed") {
        val (store, case) = storeWithCase()
        val unit = generateIdentity()
        val keyId = addUnitFor(store, unit)
        val sealed = store.sealCase(case, "sk.example-ngo", listOf(keyId), emptyList(), false)
        assertTrue(!String(sealed.`package`, Charsets.ISO_8859_1).contains("KOTLIN-PACKAGE-MARKER"))
        val opened = openReport(sealed.`package`, unit.identity)
        assertEquals(sealed.reportId, opened.reportId)
        assertEquals(store.deviceInfo().keyId, opened.deviceKeyId)
        assertTrue(opened.manifest.contains("KOTLIN-PACKAGE-MARKER"))
        // Started on first-contact, the case is assessed (Python compares the assessment itself).
        assertTrue(opened.manifest.contains("\"checklist\":{"), "no checklist reference")
        assertTrue(!opened.manifest.contains("\"assessment\":null"), "no assessment")
        assertContentEquals(ByteArray(100_000) { (it % 241).toByte() }, opened.attachments.single())
        // Two phases: a draft until the app confirms the package is stored.
        assertEquals(CaseStatus.DRAFT, store.listCases().single().status)
        store.confirmSealed(case, sealed.reportId)
        assertEquals(CaseStatus.SEALED, store.listCases().single().status)
        store.getCase(case).let {
            assertEquals(CaseStatus.SEALED, it.status)
            assertEquals(sealed.reportId, it.reportId)
            assertEquals(sealed.contentHash, it.contentHash)
            assertEquals("first-contact", it.checklist?.id)
        }
        assertFailsWith<IndiciaException.InvalidState> {
            store.sealCase(case, "sk.example-ngo", emptyList(), emptyList(), false)
        }
        assertFailsWith<IndiciaException.WrongIdentity> { openReport(sealed.`package`, generateIdentity().identity) }
    }

    test("sealing to a file streams the package and leaves no partial file on failure") {
        val (store, case) = storeWithCase()
        val dir = Files.createTempDirectory("indicia-package").toFile()
        val unit = generateIdentity()
        // No unit added yet: nothing to seal to.
        assertFailsWith<IndiciaException.InvalidState> {
            store.sealCaseToFile(case, "sk.example-ngo", emptyList(), emptyList(), File(dir, "bad.age").path)
        }
        val keyId = addUnitFor(store, unit)
        assertFailsWith<IndiciaException.NotFound> {
            store.sealCaseToFile(case, "sk.example-ngo", listOf("0".repeat(32)), emptyList(), File(dir, "bad.age").path)
        }
        assertTrue(dir.listFiles()!!.isEmpty())
        val path = File(dir, "report.age").path
        val info = store.sealCaseToFile(case, "sk.example-ngo", listOf(keyId), emptyList(), path)
        assertEquals(info.reportId, openReport(File(path).readBytes(), unit.identity).reportId)

        // Cross-layer: the same kind of package for the run's receiver key, for Python to open.
        val crossDir = System.getenv("INDICIA_CROSS_DIR")
        if (crossDir != null) {
            val receiver = File(crossDir, "receiver.key").readText()
            val recipient = receiver.lines().first { it.startsWith("# public key: ") }.removePrefix("# public key: ")
            val (other, otherCase) = storeWithCase()
            // A card for the run's receiver key (signed by a throw-away unit database).
            other.addUnit(unitCardFor(recipient))
            val report = other.sealCaseToFile(otherCase, "sk.example-ngo", emptyList(), emptyList(), File(crossDir, "kotlin-package.age").path)
            File(crossDir, "kotlin-package.json").writeText(
                "{\"report_id\":\"${report.reportId}\",\"device_key_id\":\"${report.deviceKeyId}\"," +
                    "\"device_public_key\":\"${other.deviceInfo().publicKey}\",\"content_hash\":\"${report.contentHash}\"}",
            )
        }
    }

    test("a case is sealed only to units whose signed cards the store holds, never to a typed recipient") {
        val (store, case) = storeWithCase()
        val unit = generateIdentity()
        // No unit added: refused, whatever the app passes.
        assertFailsWith<IndiciaException.InvalidState> {
            store.sealCase(case, "org", emptyList(), emptyList(), false)
        }
        val keyId = addUnitFor(store, unit)
        // A key id of no added unit, or an age recipient where a key id belongs: NotFound.
        assertFailsWith<IndiciaException.NotFound> {
            store.sealCase(case, "org", listOf("f".repeat(32)), emptyList(), false)
        }
        assertFailsWith<IndiciaException.NotFound> {
            store.sealCase(case, "org", listOf(generateIdentity().recipient), emptyList(), false)
        }
        assertEquals(CaseStatus.DRAFT, store.getCase(case).status)
        val sealed = store.sealCase(case, "org", listOf(keyId), emptyList(), false)
        assertEquals(sealed.reportId, openReport(sealed.`package`, unit.identity).reportId)

        // A case held by the app: signed cards only.
        val caseJson = "{\"organisation\":\"org\",\"title\":\"t\"}"
        assertFailsWith<IndiciaException.InvalidState> { sealReport(caseJson, emptyList(), emptyList(), null, false) }
        assertFailsWith<IndiciaException.CorruptInput> {
            sealReport(caseJson, emptyList(), listOf(unit.recipient), null, false)
        }
        val card = unitCardFor(unit.recipient)
        val swapped = card.replace(unit.recipient, generateIdentity().recipient)
        assertFailsWith<IndiciaException.BadSignature> { sealReport(caseJson, emptyList(), listOf(swapped), null, false) }
        val standalone = sealReport(caseJson, emptyList(), listOf(card), null, true)
        assertEquals(standalone.reportId, openReport(standalone.`package`, unit.identity).reportId)
    }
}
