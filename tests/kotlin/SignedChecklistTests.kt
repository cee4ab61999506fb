// Signed checklist definitions through the uniffi bindings on the JVM
// (docs/formats/signed-checklist.md): the frozen vectors load under their trust list with the
// publisher and review status a field app shows; each must-reject vector fails with its kind, and
// an untrusted one reaches the SDK as UntrustedChecklistException. Registered in Runner.kt.
package org.indicia.tests

import java.io.File
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertNull
import kotlin.test.assertTrue
import org.indicia.core.ChecklistSession
import org.indicia.core.loadChecklist
import org.indicia.core.model.ChecklistTrust
import org.indicia.core.model.Provenance
import org.indicia.core.model.ReviewStatus
import org.indicia.core.model.TrustedPublisher
import org.indicia.sdk.BadSignatureException
import org.indicia.sdk.InvalidChecklistException
import org.indicia.sdk.UntrustedChecklistException
import org.indicia.sdk.core
import org.indicia.core.IndiciaException as CoreException

private val vectors = File("tests/vectors/signed-checklist-v1")

/** The vectors' trust list (trust.json), read with the smallest parsing that will do. */
private fun vectorTrust(): ChecklistTrust {
    val text = File(vectors, "trust.json").readText()
    val name = Regex(""""name": "([^"]+)"""").find(text)!!.groupValues[1]
    val key = Regex(""""public_key": "([0-9a-f]{64})"""").find(text)!!.groupValues[1]
    return ChecklistTrust(requireSignatures = true, publishers = listOf(TrustedPublisher(name, key)))
}

internal fun registerSignedChecklistTests() {
    test("a signed checklist loads under the trust list with its publisher and review status") {
        val text = File(vectors, "valid/minimal.json").readText()
        val info = loadChecklist(text, "en", vectorTrust()).info
        assertEquals(Provenance.TRUSTED_PUBLISHER, info.provenance)
        assertEquals("Example referral body — test vector ✓", info.publisher)
        assertEquals(32, info.publisherKeyId!!.length)
        assertEquals(ReviewStatus.DRAFT, info.reviewStatus) // the minimal vector's review status
        val session = ChecklistSession.fromJsonTrusted(text, "en", vectorTrust())
        assertEquals(info.publisher, session.assessment().checklist.publisher!!.name)
        val open = loadChecklist(text, "en", ChecklistTrust(requireSignatures = false, publishers = emptyList())).info
        assertEquals(Provenance.UNTRUSTED_PUBLISHER, open.provenance)
        val builtin = loadChecklist(File("core/checklists/first-contact.json").readText(), "en", vectorTrust()).info
        assertEquals(Provenance.BUILT_IN, builtin.provenance)
        assertNull(builtin.publisher)
    }

    test("each must-reject signed checklist fails with its kind, in the SDK's classes too") {
        val expected = File(vectors, "expected.json").readText().substringAfter("\"reject\"")
        val files = File(vectors, "reject").listFiles()!!.map { it.name }.sorted()
        assertTrue(files.size >= 9, "$files")
        for (name in files) {
            val kind = Regex(""""${Regex.escape(name)}": \{\s*"kind": "([A-Za-z]+)"""").find(expected)!!.groupValues[1]
            val thrown = assertFailsWith<CoreException> { loadChecklist(File(vectors, "reject/$name").readText(), "en", vectorTrust()) }
            assertEquals(kind, thrown::class.java.simpleName, name)
        }
        val unsigned = File(vectors, "reject/07-unsigned.json").readText()
        assertFailsWith<UntrustedChecklistException> { core { loadChecklist(unsigned, "en", vectorTrust()) } }
        val forged = File(vectors, "reject/03-altered-definition.json").readText()
        assertFailsWith<BadSignatureException> { core { loadChecklist(forged, "en", vectorTrust()) } }
        val unknownFormat = File(vectors, "reject/05-unknown-format.json").readText()
        assertFailsWith<InvalidChecklistException> { core { loadChecklist(unknownFormat, "en", vectorTrust()) } }
    }
}
