// The encrypted case store from Kotlin, as the field app uses it: create with a PIN, save answers
// and notes, lock, wrong PIN, unlock, change PIN, platform key, quick delete.
package org.indicia.tests

import java.io.File
import java.nio.file.Files
import javax.crypto.Cipher
import javax.crypto.spec.GCMParameterSpec
import javax.crypto.spec.SecretKeySpec
import kotlin.test.assertContentEquals
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertTrue
import org.indicia.core.CaseStore
import org.indicia.core.HostPlatformKey
import org.indicia.core.IndiciaException
import org.indicia.core.KdfSettings

// Cheap Argon2 for tests only; the app uses mobileKdf().
private val fastKdf = KdfSettings(64u, 1u, 1u)

private fun tempStorePath(): String = Files.createTempDirectory("indicia-store").resolve("field.db").toString()

/** Stands in for the Android Keystore: AES-GCM with a key that never leaves this object. */
private class FakeKeystore(seed: Byte) : HostPlatformKey {
    private val key = SecretKeySpec(ByteArray(32) { seed }, "AES")

    override fun wrap(dataKey: ByteArray): ByteArray {
        val iv = ByteArray(12) { (it * 7).toByte() }
        val cipher = Cipher.getInstance("AES/GCM/NoPadding")
        cipher.init(Cipher.ENCRYPT_MODE, key, GCMParameterSpec(128, iv))
        return iv + cipher.doFinal(dataKey)
    }

    override fun unwrap(wrapped: ByteArray): ByteArray {
        val cipher = Cipher.getInstance("AES/GCM/NoPadding")
        cipher.init(Cipher.DECRYPT_MODE, key, GCMParameterSpec(128, wrapped.copyOfRange(0, 12)))
        return cipher.doFinal(wrapped.copyOfRange(12, wrapped.size))
    }
}

internal fun registerStoreTests() {
    test("store keeps a case's answers and notes across lock and reopen") {
        val path = tempStorePath()
        val store = CaseStore.create(path, "2468", fastKdf)
        val case = store.createCase("Clinic visit")
        store.saveAnswer(case, "debt", "\"yes\"")
        store.addNote(case, "came with a supervisor")
        store.lock()
        assertFailsWith<IndiciaException.StoreLocked> { store.listCases() }
        val reopened = CaseStore.open(path)
        assertFalse(reopened.isUnlocked())
        reopened.unlock("2468")
        assertEquals("Clinic visit", reopened.listCases().single().title)
        assertEquals("{\"debt\":\"yes\"}", reopened.answersJson(case))
        assertEquals("came with a supervisor", reopened.notes(case).single().text)
    }

    test("store database file holds none of the case text") {
        val path = tempStorePath()
        val store = CaseStore.create(path, "2468", fastKdf)
        val case = store.createCase("KOTLIN-TITLE-MARKER")
        store.addNote(case, "KOTLIN-NOTE-MARKER")
        val dir = File(path).parentFile
        val bytes = dir.listFiles()!!.filter { it.isFile }.map { String(it.readBytes(), Charsets.ISO_8859_1) }
        assertTrue(bytes.isNotEmpty())
        assertTrue(bytes.none { it.contains("KOTLIN-TITLE-MARKER") || it.contains("KOTLIN-NOTE-MARKER") })
    }

    test("wrong PIN, wipe after N and no store are distinct exceptions") {
        val path = tempStorePath()
        val store = CaseStore.create(path, "2468", fastKdf)
        store.setWipeAfter(2u)
        store.lock()
        val e = assertFailsWith<IndiciaException.WrongPin> { store.unlock("0000") }
        assertTrue(e.message!!.contains("1 attempts left"))
        assertFailsWith<IndiciaException.StoreWiped> { store.unlock("1111") }
        assertFailsWith<IndiciaException.NoStore> { CaseStore.open(path) }
    }

    test("changing the PIN keeps the data and retires the old PIN") {
        val store = CaseStore.createInMemory("1111", fastKdf)
        val case = store.createCase("t")
        store.changePin("1111", "2222", fastKdf)
        store.lock()
        assertFailsWith<IndiciaException.WrongPin> { store.unlock("1111") }
        store.unlock("2222")
        assertEquals(case, store.listCases().single().id)
    }

    test("a platform key implemented in Kotlin unlocks the store") {
        val store = CaseStore.createInMemory("1111", fastKdf)
        store.createCase("t")
        store.addPlatformKey(FakeKeystore(1))
        store.lock()
        assertFailsWith<IndiciaException.StoreFailure> { store.unlockWithPlatformKey(FakeKeystore(2)) }
        store.unlockWithPlatformKey(FakeKeystore(1))
        assertEquals(1, store.listCases().size)
    }

    test("sealed cases refuse edits and custody log records every change") {
        val store = CaseStore.createInMemory("1111", fastKdf)
        val case = store.createCase("t")
        store.saveAnswer(case, "debt", "\"yes\"")
        store.setStatus(case, "sealed")
        assertFailsWith<IndiciaException.InvalidState> { store.saveAnswer(case, "debt", "\"no\"") }
        assertFailsWith<IndiciaException.InvalidState> { store.deleteCase(case, false) }
        assertContentEquals(listOf("created", "answer_saved", "status_changed"), store.custodyLog(case).map { it.event })
    }

    test("attachments round trip through the store") {
        val store = CaseStore.createInMemory("1111", fastKdf)
        val case = store.createCase("t")
        val photo = ByteArray(200_000) { (it % 251).toByte() }
        val info = store.addAttachment(case, "photo.jpg", "image/jpeg", photo)
        assertEquals(200_000uL, info.size)
        assertContentEquals(photo, store.readAttachment(case, info.id))
    }

    test("quick delete removes the store files") {
        val path = tempStorePath()
        val store = CaseStore.create(path, "2468", fastKdf)
        store.createCase("t")
        store.quickDelete()
        assertTrue(File(path).parentFile.listFiles()!!.isEmpty())
        assertFailsWith<IndiciaException.NoStore> { CaseStore.open(path) }
    }
}
