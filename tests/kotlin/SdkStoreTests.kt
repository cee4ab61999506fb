// The SDK's store handle (android/sdk, FieldStore.kt): the slow calls — unlock, re-key, sealing,
// receipt import — run on the store's dispatcher and never on the calling thread (seen from the
// host callbacks the core calls inside them); the case list is a flow that follows every change.
package org.indicia.tests

import java.io.File
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotEquals
import kotlin.test.assertTrue
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.async
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.launch
import org.indicia.core.Receiver
import org.indicia.core.generateIdentity
import org.indicia.core.model.CaseStatus
import org.indicia.core.model.ReceiptStatus
import org.indicia.sdk.DeviceSecretRequiredException
import org.indicia.sdk.FieldStore
import org.indicia.sdk.WeakPinException
import org.indicia.sdk.WrongPinException
import org.indicia.sdk.RollbackCounter

/** A rollback counter that notes the thread of every call the core makes to it. */
private class RecordingCounter : RollbackCounter {
    private var value = 0L
    val threads = mutableListOf<String>()

    private fun seen() = synchronized(threads) { threads += Thread.currentThread().name }

    override fun read(): Long {
        seen()
        return value
    }

    override fun advance(value: Long) {
        seen()
        if (value > this.value) this.value = value
    }
}

private const val WORKER = "indicia-store-worker"

internal fun registerSdkStoreTests() {
    suspendTest("unlock, re-key, sealing and receipt import run on the store's dispatcher, never on the calling thread") {
        val caller = Thread.currentThread().name
        assertNotEquals(WORKER, caller)
        val executor = Executors.newSingleThreadExecutor { Thread(it, WORKER) }
        val dispatcher = executor.asCoroutineDispatcher()
        val device = HmacDeviceSecret(3)
        val counter = RecordingCounter()
        val file = File(tempDir("indicia-sdk-threads"), "field.db")
        try {
            /** Runs [call] and checks that the core called the host back only on the worker thread. */
            suspend fun <T> offThread(what: String, vararg seenBy: MutableList<String>, call: suspend () -> T): T {
                seenBy.forEach { synchronized(it) { it.clear() } }
                val result = call()
                for (threads in seenBy) {
                    assertTrue(threads.isNotEmpty(), "$what called the host back")
                    assertEquals(setOf(WORKER), threads.toSet(), "$what ran on the store's thread only")
                }
                return result
            }
            val store = offThread("create", device.threads) {
                FieldStore.create(file, "839201", device, fastTestKdf, counter, dispatcher)
            }
            store.use {
                val unitKey = generateIdentity()
                val unitDb = File(tempDir("indicia-sdk-unit"), "receiver.db").path
                val unit = Receiver.create(unitDb, "correct horse battery", fastTestKdf, "Unit", unitKey.recipient)
                store.addUnit(unit.unitCardJson())
                val case = store.createCase("threads", "first-contact", "en")
                store.lock()
                offThread("unlock", device.threads, counter.threads) { store.unlock("839201") }
                offThread("rekey", device.threads, counter.threads) { store.rekey("839201", "402917", fastTestKdf) }
                val sealed = offThread("seal", counter.threads) { store.seal(case, "sk.example-ngo") }
                store.confirmSealed(case, sealed.reportId)
                unit.trustAddDevice(store.deviceInfo().publicKey, "sk.example-ngo", null)
                val report = unit.ingestBytes(sealed.`package`, listOf(unitKey.identity), "threads").reportId
                val receipt = unit.issueReceipt(report, ReceiptStatus.RECEIVED, null)
                val imported = offThread("import receipt", counter.threads) { store.importReceipt(receipt) }
                assertEquals(CaseStatus.ACKNOWLEDGED, imported.caseStatus)
                assertEquals(caller, Thread.currentThread().name, "the caller's coroutine came back to its thread")
            }
        } finally {
            executor.shutdown()
        }
    }

    suspendTest("the case list flow follows every change, empties while locked and refills at unlock") {
        FieldStore.createInMemory("839201", HmacDeviceSecret(1), fastTestKdf).use { store ->
            assertEquals(emptyList(), store.cases.value)
            assertTrue(store.unlocked.value)
            // A collector waiting for two cases sees them once they exist.
            val two = async(start = CoroutineStart.UNDISPATCHED) { store.cases.first { it.size == 2 } }
            val first = store.createCase("first")
            val second = store.createCase("second")
            assertEquals(setOf("first", "second"), two.await().map { it.title }.toSet())
            store.deleteCase(second)
            assertEquals(listOf("first"), store.cases.value.map { it.title })
            assertEquals(CaseStatus.DRAFT, store.cases.value.single().status)
            store.lock()
            assertFalse(store.unlocked.value)
            assertEquals(emptyList(), store.cases.value)
            store.unlock("839201")
            assertEquals(listOf(first), store.cases.value.map { it.id })
        }
    }

    suspendTest("a PIN change through the SDK retires the old PIN and keeps the store bound to the device") {
        val file = File(tempDir("indicia-sdk-pin"), "field.db")
        FieldStore.create(file, "839201", HmacDeviceSecret(5), fastTestKdf).use { store ->
            val case = store.createCase("kept")
            assertFailsWith<WrongPinException> { store.changePin("000000", "402917", fastTestKdf) }
            assertFailsWith<WeakPinException> { store.changePin("839201", "4029", fastTestKdf) }
            store.changePin("839201", "402917", fastTestKdf)
            store.lock()
            assertFailsWith<WrongPinException> { store.unlock("839201") }
            store.unlock("402917")
            assertEquals(listOf(case), store.cases.value.map { it.id })
        }
        FieldStore.open(file, null).use { assertFailsWith<DeviceSecretRequiredException> { it.unlock("402917") } }
        FieldStore.open(file, HmacDeviceSecret(6)).use { assertFailsWith<WrongPinException> { it.unlock("402917") } }
    }

    suspendTest("closing a store while its unlock runs returns at once; the unlock ends with IllegalStateException, the handle closed") {
        val device = GatedDevice(2)
        val file = File(tempDir("indicia-sdk-close"), "field.db")
        FieldStore.create(file, "839201", device, fastTestKdf).close()
        val store = FieldStore.open(file, device)
        val gate = CountDownLatch(1)
        device.gate = gate
        var failure: Throwable? = null
        val unlocking = launch { runCatching { store.unlock("839201") }.onFailure { failure = it } }
        awaitGate(device.entered)
        val started = System.nanoTime()
        store.close()
        assertTrue(System.nanoTime() - started < 100_000_000, "close() did not wait for the unlock")
        gate.countDown()
        unlocking.join()
        assertTrue(failure is IllegalStateException, "the unlock reports the closed handle: $failure")
        assertFalse(store.unlocked.value)
        assertEquals(emptyList(), store.cases.value)
    }
}
