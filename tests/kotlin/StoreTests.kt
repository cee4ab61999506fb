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
import javax.crypto.Mac
import org.indicia.core.CaseStore
import org.indicia.core.HostDeviceSecret
import org.indicia.core.HostPlatformKey
import org.indicia.core.HostRollbackCounter
import org.indicia.core.IndiciaException
import org.indicia.core.model.KdfParams

// Cheap Argon2 for tests only; the app uses mobileKdf().
private val fastKdf = KdfParams(64u, 1u, 1u)

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

/** Stands in for an Android Keystore HMAC key: HMAC-SHA256 with a key that stays in this object. */
private class FakeHmacKey(seed: Byte) : HostDeviceSecret {
    private val key = SecretKeySpec(ByteArray(32) { seed }, "HmacSHA256")

    override fun respond(challenge: ByteArray): ByteArray =
        Mac.getInstance("HmacSHA256").run {
            init(key)
            doFinal(challenge)
        }
}

/** A monotonic counter outside the store's files (the hardware counter's stand-in). */
private class MemoryCounter : HostRollbackCounter {
    var value: ULong = 0u
    override fun read(): ULong = value
    override fun advance(value: ULong) {
        if (value > this.value) this.value = value
    }
}

internal fun registerStoreTests() {
    test("a whole older copy of the store is refused when the host keeps a rollback counter") {
        val path = tempStorePath()
        val dir = File(path).parentFile
        val counter = MemoryCounter()
        val store = CaseStore.create(path, "tidal-amber-orchard", fastKdf)
        store.setRollbackCounter(counter)
        store.createCase("first")
        store.close()
        val old = Files.createTempDirectory("indicia-old").toFile()
        dir.listFiles()!!.filter { it.name.startsWith("field.db") }.forEach { it.copyTo(File(old, it.name)) }
        val later = CaseStore.open(path)
        later.setRollbackCounter(counter)
        later.unlock("tidal-amber-orchard")
        later.createCase("second")
        later.close()
        assertTrue(counter.value > 0u)
        dir.listFiles()!!.filter { it.name.startsWith("field.db") }.forEach { it.delete() }
        old.listFiles()!!.forEach { it.copyTo(File(dir, it.name)) }
        val again = CaseStore.open(path)
        again.setRollbackCounter(counter)
        assertFailsWith<IndiciaException.StoreTampered> { again.unlock("tidal-amber-orchard") }
    }

    test("a copy of a device-bound store with the right PIN alone opens nothing") {
        val path = tempStorePath()
        val store = CaseStore.create(path, "839201", fastKdf, FakeHmacKey(1))
        val case = store.createCase("device-bound")
        store.lock()
        val copy = File(path).resolveSibling("copy.db")
        File(path).copyTo(copy)
        File("$path-wal").takeIf { it.exists() }?.copyTo(File("${copy.path}-wal"))
        val stolen = CaseStore.open(copy.path)
        assertTrue(stolen.isDeviceBound())
        assertFailsWith<IndiciaException.DeviceSecretRequired> { stolen.unlock("839201") }
        assertFailsWith<IndiciaException.WrongPin> { stolen.unlockWithDevice("839201", FakeHmacKey(2)) }
        assertFalse(stolen.isUnlocked())
        store.unlockWithDevice("839201", FakeHmacKey(1))
        assertEquals(case, store.listCases().single().id)
    }

    test("weak PINs are refused by the core, with or without a device secret") {
        for (weak in listOf("1", "1234", "password1")) {
            assertFailsWith<IndiciaException.WeakPin> { CaseStore.createInMemory(weak, fastKdf) }
        }
        assertFailsWith<IndiciaException.WeakPin> { CaseStore.createInMemory("12345", fastKdf, FakeHmacKey(1)) }
        CaseStore.createInMemory("123456", fastKdf, FakeHmacKey(1))
    }

    test("rekey puts the store under the new PIN and keeps the cases") {
        val path = tempStorePath()
        val store = CaseStore.create(path, "tidal-amber-orchard", fastKdf)
        val case = store.createCase("kept")
        store.rekey("tidal-amber-orchard", "copper kettle moonrise", fastKdf)
        store.lock()
        assertFailsWith<IndiciaException.WrongPin> { store.unlock("tidal-amber-orchard") }
        store.unlock("copper kettle moonrise")
        assertEquals(case, store.listCases().single().id)
    }

    test("store keeps a case's answers and notes across lock and reopen") {
        val path = tempStorePath()
        val store = CaseStore.create(path, "tidal-amber-orchard", fastKdf)
        val case = store.createCase("Clinic visit")
        store.saveAnswer(case, "debt", "\"yes\"")
        store.addNote(case, "came with a supervisor")
        store.lock()
        assertFailsWith<IndiciaException.StoreLocked> { store.listCases() }
        val reopened = CaseStore.open(path)
        assertFalse(reopened.isUnlocked())
        reopened.unlock("tidal-amber-orchard")
        assertEquals("Clinic visit", reopened.listCases().single().title)
        assertEquals("{\"debt\":\"yes\"}", reopened.answersJson(case))
        assertEquals("came with a supervisor", reopened.notes(case).single().text)
    }

    test("store database file holds none of the case text") {
        val path = tempStorePath()
        val store = CaseStore.create(path, "tidal-amber-orchard", fastKdf)
        val case = store.createCase("KOTLIN-TITLE-MARKER")
        store.addNote(case, "KOTLIN-NOTE-MARKER")
        val dir = File(path).parentFile
        val bytes = dir.listFiles()!!.filter { it.isFile }.map { String(it.readBytes(), Charsets.ISO_8859_1) }
        assertTrue(bytes.isNotEmpty())
        assertTrue(bytes.none { it.contains("KOTLIN-TITLE-MARKER") || it.contains("KOTLIN-NOTE-MARKER") })
    }

    test("wrong PIN, wipe after N and no store are distinct exceptions") {
        val path = tempStorePath()
        val store = CaseStore.create(path, "tidal-amber-orchard", fastKdf)
        store.setWipeAfter(2u)
        store.lock()
        val e = assertFailsWith<IndiciaException.WrongPin> { store.unlock("0000") }
        assertTrue(e.message!!.contains("1 attempts left"))
        assertFailsWith<IndiciaException.StoreWiped> { store.unlock("1111") }
        assertFailsWith<IndiciaException.NoStore> { CaseStore.open(path) }
    }

    test("changing the PIN keeps the data and retires the old PIN") {
        val store = CaseStore.createInMemory("tidal-amber-orchard", fastKdf)
        val case = store.createCase("t")
        store.changePin("tidal-amber-orchard", "copper kettle moonrise", fastKdf)
        store.lock()
        assertFailsWith<IndiciaException.WrongPin> { store.unlock("tidal-amber-orchard") }
        store.unlock("copper kettle moonrise")
        assertEquals(case, store.listCases().single().id)
    }

    test("a platform key implemented in Kotlin unlocks the store") {
        val store = CaseStore.createInMemory("tidal-amber-orchard", fastKdf)
        store.createCase("t")
        store.addPlatformKey(FakeKeystore(1))
        store.lock()
        assertFailsWith<IndiciaException.StoreFailure> { store.unlockWithPlatformKey(FakeKeystore(2)) }
        store.unlockWithPlatformKey(FakeKeystore(1))
        assertEquals(1, store.listCases().size)
    }

    test("sealed cases refuse edits and custody log records every change") {
        val store = CaseStore.createInMemory("tidal-amber-orchard", fastKdf)
        val case = store.createCase("t")
        store.saveAnswer(case, "debt", "\"yes\"")
        addUnitFor(store, org.indicia.core.generateIdentity())
        val sealed = store.sealCase(case, "org", emptyList(), emptyList(), false)
        store.confirmSealed(case, sealed.reportId)
        assertFailsWith<IndiciaException.InvalidState> { store.saveAnswer(case, "debt", "\"no\"") }
        assertFailsWith<IndiciaException.InvalidState> { store.deleteCase(case, false) }
        assertContentEquals(
            listOf("created", "answer_saved", "status_changed", "report_sealed"),
            store.custodyLog(case).map { it.event },
        )
        store.deleteCase(case, true)
        assertEquals(listOf(case), store.deletedCaseIds())
    }

    test("attachments round trip through the store") {
        val store = CaseStore.createInMemory("tidal-amber-orchard", fastKdf)
        val case = store.createCase("t")
        val photo = ByteArray(200_000) { (it % 251).toByte() }
        val info = store.addAttachment(case, "photo.jpg", "image/jpeg", photo)
        assertEquals(200_000uL, info.size)
        assertContentEquals(photo, store.readAttachment(case, info.id))
    }

    test("quick delete removes the store files") {
        val path = tempStorePath()
        val store = CaseStore.create(path, "tidal-amber-orchard", fastKdf)
        store.createCase("t")
        store.quickDelete()
        assertTrue(File(path).parentFile.listFiles()!!.isEmpty())
        assertFailsWith<IndiciaException.NoStore> { CaseStore.open(path) }
    }
}
