// Kotlin/JVM tests of the sealing functions of the uniffi bindings (age files to recipients: the
// interop layer) and of sealing a case through the SDK (to added units only). Registered with the runner in Runner.kt.
package org.indicia.tests

import java.io.File
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertTrue
import org.indicia.core.CaseStore
import org.indicia.core.IndiciaException
import org.indicia.core.generateIdentity
import org.indicia.core.model.CaseStatus
import org.indicia.core.model.KdfParams
import org.indicia.core.open
import org.indicia.core.openReport
import org.indicia.core.recipientOf
import org.indicia.core.seal
import org.indicia.core.sealArmored
import org.indicia.sdk.FieldStore
import org.indicia.sdk.InvalidStateException
import org.indicia.sdk.NotFoundException

private fun bytes(s: String) = s.toByteArray(Charsets.UTF_8)

internal fun registerSealingTests() {
    test("generated identity and recipient use the standard age encodings") {
        val pair = generateIdentity()
        assertTrue(pair.identity.startsWith("AGE-SECRET-KEY-1"))
        assertTrue(pair.recipient.startsWith("age1"))
        assertEquals(pair.recipient, recipientOf(pair.identity))
    }

    test("seal then open returns the same bytes") {
        val pair = generateIdentity()
        val message = bytes("Dokumenty zabrané zamestnávateľom")
        val sealed = seal(message, listOf(pair.recipient))
        assertContentEquals(message, open(sealed, pair.identity))
    }

    test("sealed bytes do not contain the plaintext") {
        val pair = generateIdentity()
        val sealed = seal(bytes("MARKER-kotlin-91c2"), listOf(pair.recipient))
        assertFalse(String(sealed, Charsets.ISO_8859_1).contains("MARKER-kotlin-91c2"))
    }

    test("armored sealing opens and is PEM framed") {
        val pair = generateIdentity()
        val text = sealArmored(bytes("armored"), listOf(pair.recipient))
        assertTrue(text.startsWith("-----BEGIN AGE ENCRYPTED FILE-----"))
        assertContentEquals(bytes("armored"), open(bytes(text), pair.identity))
    }

    test("every one of several recipients can open") {
        val a = generateIdentity()
        val b = generateIdentity()
        val sealed = seal(bytes("two units"), listOf(a.recipient, b.recipient))
        assertContentEquals(bytes("two units"), open(sealed, a.identity))
        assertContentEquals(bytes("two units"), open(sealed, b.identity))
    }

    test("malformed recipient is IndiciaException.MalformedRecipient") {
        val good = generateIdentity().recipient
        val e = assertFailsWith<IndiciaException.MalformedRecipient> {
            seal(bytes("x"), listOf(good, "age1typo"))
        }
        assertTrue(e.message!!.contains("recipient 2"))
    }

    test("empty recipient list is IndiciaException.NoRecipients") {
        assertFailsWith<IndiciaException.NoRecipients> { seal(bytes("x"), emptyList()) }
    }

    test("wrong identity is IndiciaException.WrongIdentity") {
        val sealed = seal(bytes("x"), listOf(generateIdentity().recipient))
        assertFailsWith<IndiciaException.WrongIdentity> { open(sealed, generateIdentity().identity) }
    }

    test("malformed identity is IndiciaException.MalformedIdentity and does not echo it") {
        val sealed = seal(bytes("x"), listOf(generateIdentity().recipient))
        val e = assertFailsWith<IndiciaException.MalformedIdentity> {
            open(sealed, "AGE-SECRET-KEY-1NOTAREALKEY")
        }
        assertFalse(e.message!!.contains("NOTAREALKEY"))
    }

    test("altered payload is IndiciaException.CorruptInput") {
        val pair = generateIdentity()
        val sealed = seal(bytes("x"), listOf(pair.recipient))
        sealed[sealed.size - 1] = (sealed[sealed.size - 1].toInt() xor 1).toByte()
        assertFailsWith<IndiciaException.CorruptInput> { open(sealed, pair.identity) }
    }

    test("cut-short file is IndiciaException.TruncatedInput") {
        val pair = generateIdentity()
        val sealed = seal(bytes("x"), listOf(pair.recipient))
        assertFailsWith<IndiciaException.TruncatedInput> { open(sealed.copyOf(40), pair.identity) }
    }

    suspendTest("the SDK seals a case only to the units whose signed cards the store holds") {
        FieldStore.createInMemory("tidal-amber-orchard", null, KdfParams(64u, 1u, 1u)).use { store ->
            val case = store.createCase("Harbour")
            store.addNote(case, "met at the bus station")
            // No unit added: nothing is sealed, and there is no recipient to pass instead.
            assertFailsWith<InvalidStateException> { store.seal(case, "sk.example-ngo") }
            val unit = generateIdentity()
            val keyId = store.addUnit(unitCardFor(unit.recipient)).keyId
            assertFailsWith<NotFoundException> { store.seal(case, "sk.example-ngo", listOf("0".repeat(32))) }
            assertFailsWith<NotFoundException> { store.seal(case, "sk.example-ngo", listOf(unit.recipient)) }
            val text = store.seal(case, "sk.example-ngo", listOf(keyId), armored = true)
            assertTrue(String(text.`package`, Charsets.UTF_8).startsWith("-----BEGIN AGE ENCRYPTED FILE-----"))
            val sealed = store.seal(case, "sk.example-ngo")
            assertEquals(sealed.reportId, openReport(sealed.`package`, unit.identity).reportId)
            store.confirmSealed(case, sealed.reportId)
            assertEquals(CaseStatus.SEALED, store.case(case).status)
        }
    }

    // Cross-layer: seal to the receiver key the test run generated with the CLI; Python and the
    // CLI open the result later (tests/python/test_cross_layer.py).
    val crossDir = System.getenv("INDICIA_CROSS_DIR")
    if (crossDir != null) {
        test("report sealed in Kotlin for the run's receiver key is written for the other layers") {
            val keyText = File(crossDir, "receiver.key").readText()
            val recipient = recipientOf(keyText)
            val message = "Kotlin field report — dluh se nezmenšuje ${System.nanoTime()}"
            val sealed = seal(bytes(message), listOf(recipient))
            File(crossDir, "kotlin.age").writeBytes(sealed)
            File(crossDir, "kotlin.txt").writeText(message, Charsets.UTF_8)
            assertContentEquals(bytes(message), open(sealed, keyText))
        }
    }
}
