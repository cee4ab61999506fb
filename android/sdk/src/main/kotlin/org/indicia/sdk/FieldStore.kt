// The field app's encrypted case store as a Kotlin handle: every call that touches the store's
// file or its keys is a suspend function run on the handle's dispatcher, one at a time, so no
// Argon2id, SQLite or sealing work ever runs on the caller's (main) thread; the case list is a
// StateFlow; binding exceptions become the SDK's (IndiciaException.kt).
package org.indicia.sdk

import java.io.File
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock
import kotlinx.coroutines.withContext
import org.indicia.core.AnswerValue
import org.indicia.core.CaseStore
import org.indicia.core.HostDeviceSecret
import org.indicia.core.model.AttachmentInfo
import org.indicia.core.model.CaseRecord
import org.indicia.core.model.CaseSummary
import org.indicia.core.model.CustodyEvent
import org.indicia.core.model.DeviceInfo
import org.indicia.core.model.ImportedReceipt
import org.indicia.core.model.KdfParams
import org.indicia.core.model.Note
import org.indicia.core.model.SealedPackage
import org.indicia.core.model.SealedReport
import org.indicia.core.model.UnitCard
import org.indicia.core.mobileKdf
import org.indicia.core.unitCardFingerprint

/** A receiving unit the device believes: its signed card and the fingerprint to compare aloud. */
data class TrustedUnit(val card: UnitCard, val fingerprint: String) {
    /** The unit's signing key id, which [FieldStore.seal] takes to choose recipients. */
    val keyId: String get() = card.signingKey.keyId
}

/**
 * An open field store (docs/formats/store.md): cases, answers, notes, attachments, the units the
 * device seals to, and receipts. Close it (or use `use {}`) when the app no longer needs it;
 * closing forgets the keys as locking does.
 *
 * Threading: every suspend function runs on [dispatcher] (Dispatchers.IO unless given), one call
 * at a time in the order they were made; call them from any thread, the main thread included.
 * [cases] and [unlocked] may be read from any thread.
 *
 * Errors: every call throws only [IndiciaException] subclasses (each documented on the call),
 * and IllegalStateException once the handle is closed. Every data call throws
 * [StoreLockedException] while locked.
 */
class FieldStore private constructor(
    private val store: CaseStore,
    private val device: HostDeviceSecret?,
    private val dispatcher: CoroutineDispatcher,
) : AutoCloseable {
    private val mutex = Mutex()

    @Volatile
    private var closed = false
    private val casesFlow = MutableStateFlow<List<CaseSummary>>(emptyList())
    private val unlockedFlow = MutableStateFlow(false)

    /**
     * The cases, most recently updated first: refreshed after every change made through this
     * handle and at unlock; empty while locked.
     */
    val cases: StateFlow<List<CaseSummary>> = casesFlow.asStateFlow()

    /**
     * Whether [close] or [quickDelete] ended this handle: a call that failed with
     * IllegalStateException because of that has nothing left to report to.
     */
    val isClosed: Boolean get() = closed

    /** Whether the store holds its keys now. */
    val unlocked: StateFlow<Boolean> = unlockedFlow.asStateFlow()

    /** Runs [call] on the dispatcher, alone, mapping binding exceptions. */
    private suspend fun <T> io(call: CaseStore.() -> T): T = mutex.withLock {
        withContext(dispatcher) {
            check(!closed) { "the FieldStore is closed" }
            core { store.call() }
        }
    }

    /** As [io], then refreshes [cases] (and [unlocked]) in the same turn. */
    private suspend fun <T> change(call: CaseStore.() -> T): T = mutex.withLock {
        withContext(dispatcher) {
            check(!closed) { "the FieldStore is closed" }
            val result = try {
                core { store.call() }
            } catch (e: Throwable) {
                runCatching { refresh() } // the call's own error is the one to report
                throw e
            }
            // Closed while the call ran (close() does not wait): its result has no handle to go to.
            check(!closed) { "the FieldStore was closed during the call" }
            refresh()
            result
        }
    }

    /** Guards [closed] together with the flows, so a refresh never shows a store after [close]. */
    private val flowLock = Any()

    private fun refresh() {
        val open = !closed && try {
            store.isUnlocked()
        } catch (e: org.indicia.core.IndiciaException) {
            false // wiped or deleted: nothing to show
        }
        val cases = if (open) core { store.listCases() } else emptyList()
        // close() may have run on another thread since the store was read: then it stays closed.
        synchronized(flowLock) {
            if (closed) return
            unlockedFlow.value = open
            casesFlow.value = cases
        }
    }

    /** Marks the handle closed and empties what screens observe; true if it was open. */
    private fun markClosed(): Boolean = synchronized(flowLock) {
        if (closed) return false
        closed = true
        unlockedFlow.value = false
        casesFlow.value = emptyList()
        true
    }

    /** Whether unlocking needs the device secret (the store was created with one). */
    suspend fun isDeviceBound(): Boolean = io { isDeviceBound() }

    /**
     * Unlocks with [pin] and, if the store is device-bound, the device secret given when it was
     * opened. Slow by design (Argon2id: about 0.2 s on a phone).
     *
     * @throws WrongPinException with [WrongPinException.attemptsLeft] when wipe-after-N is set
     * @throws StoreWipedException when this wrong PIN was the last one allowed: the data is gone
     * @throws DeviceSecretRequiredException for a device-bound store opened without its secret
     * @throws StoreTamperedException when the files were altered or rolled back
     * @throws StoreFailureException when the device secret (Keystore) refused
     */
    suspend fun unlock(pin: String) = change {
        if (device != null && isDeviceBound()) unlockWithDevice(pin, device) else unlock(pin)
    }

    /**
     * Forgets the keys (auto-lock when the app goes to the background). Waits for a call in
     * progress to finish first; [cases] is emptied.
     */
    suspend fun lock() = change { lock() }

    /** Consecutive wrong PINs since the last unlock (works while locked). @throws StoreWipedException */
    suspend fun failedUnlocks(): Int = io { failedUnlocks().toInt() }

    /**
     * Wrong PINs left before the store erases itself, as the store keeps them (works while
     * locked); null when no limit was set.
     * @throws StoreWipedException
     */
    suspend fun attemptsLeft(): Int? = io { attemptsLeft()?.toInt() }

    /**
     * Erase the store after [attempts] consecutive wrong PINs; null: never.
     * @throws StoreLockedException
     */
    suspend fun setWipeAfter(attempts: Int?) = io { setWipeAfter(attempts?.toUInt()) }

    /**
     * A new PIN (the data key is re-wrapped, not changed), bound to the same device secret.
     * Slow (Argon2id twice).
     * @throws WrongPinException when [current] is wrong
     * @throws WeakPinException when [new] does not meet the policy
     */
    suspend fun changePin(current: String, new: String, kdf: KdfParams = mobileKdf()) =
        io { changePin(current, new, kdf, device) }

    /**
     * Re-key: a new data key under [new], every row re-sealed in one transaction. Slow for big
     * stores (seconds with many attachments). A platform-key slot is removed.
     * @throws WrongPinException when [current] is wrong
     * @throws WeakPinException when [new] does not meet the policy
     */
    suspend fun rekey(current: String, new: String, kdf: KdfParams = mobileKdf()) =
        change { rekey(current, new, kdf, device) }

    /**
     * Quick delete: destroys the keys at once, then the data and the files. Works locked or
     * unlocked; the handle is closed afterwards. The device secret's key (Keystore) is the
     * caller's to destroy.
     * @throws StoreFailureException when the files cannot be removed (the keys are gone already)
     */
    suspend fun quickDelete() {
        mutex.withLock {
            withContext(dispatcher) {
                check(!closed) { "the FieldStore is closed" }
                try {
                    core { store.quickDelete() }
                } finally {
                    markClosed()
                    store.close()
                }
            }
        }
    }

    /**
     * Starts a draft case titled [title] on the built-in checklist [checklistId] in [language]
     * (null: a case without a checklist). Returns its id.
     * @throws UnknownChecklistException for an id that is not built in
     * @throws InvalidArgumentException for a language the checklist does not offer, or a title over its limit
     */
    suspend fun createCase(title: String, checklistId: String? = null, language: String? = null): String =
        change { createCase(title, checklistId, language) }

    /** One case. @throws NotFoundException */
    suspend fun case(caseId: String): CaseRecord = io { getCase(caseId) }

    /**
     * Deletes a case: a draft or acknowledged one at once, a sealed unacknowledged one only with
     * [force] (recorded in the store's deletion log, [deletedCaseIds]).
     * @throws InvalidStateException for a sealed, unacknowledged case without [force]
     * @throws NotFoundException
     */
    suspend fun deleteCase(caseId: String, force: Boolean = false) = change { deleteCase(caseId, force) }

    /** Cases deleted with force before a receipt acknowledged them, oldest first. */
    suspend fun deletedCaseIds(): List<String> = io { deletedCaseIds() }

    /**
     * Saves one answer of a draft case, unchecked against the checklist: use [openChecklist]'s
     * [ChecklistRun.answer], which checks it first.
     * @throws InvalidAnswerException for an empty text or list, or a number that is not finite
     * @throws InvalidStateException once the case is sealed
     */
    suspend fun saveAnswer(caseId: String, questionId: String, value: AnswerValue) =
        change { saveAnswer(caseId, questionId, value.toJson()) }

    /** All answers of a case (hidden ones too) as a JSON object. @throws NotFoundException */
    suspend fun answersJson(caseId: String): String = io { answersJson(caseId) }

    /** Removes one answer of a draft case. @throws InvalidStateException once sealed */
    suspend fun clearAnswer(caseId: String, questionId: String) = change { clearAnswer(caseId, questionId) }

    /**
     * A checklist run over case [caseId]'s checklist, in the case's language (or [fallbackLanguage]),
     * with the saved answers restored; each answer given to it is saved here. Close it when the
     * screen goes. The run is built, and later evaluates each answer, on this store's dispatcher.
     * @throws InvalidStateException for a case started without a checklist
     * @throws NotFoundException
     */
    suspend fun openChecklist(caseId: String, fallbackLanguage: String = "en"): ChecklistRun {
        val (record, answers) = io { getCase(caseId) to answersJson(caseId) }
        val checklist = record.checklist
            ?: throw InvalidStateException("this case was started without a checklist")
        return withContext(dispatcher) {
            ChecklistRun.restore(checklist.id, record.language ?: fallbackLanguage, answers, dispatcher) { question, value ->
                if (value == null) clearAnswer(caseId, question) else saveAnswer(caseId, question, value)
            }
        }
    }

    /** Adds a note (at most 100,000 bytes) to a draft case; returns its id. @throws InvalidArgumentException @throws InvalidStateException */
    suspend fun addNote(caseId: String, text: String): String = change { addNote(caseId, text) }

    /** A case's notes, oldest first. @throws NotFoundException */
    suspend fun notes(caseId: String): List<Note> = io { notes(caseId) }

    /** Adds an attachment (photo, document) to a draft case, sealed in chunks. @throws InvalidStateException */
    suspend fun addAttachment(caseId: String, name: String, mime: String, data: ByteArray): AttachmentInfo =
        change { addAttachment(caseId, name, mime, data) }

    /** A case's attachments in the order they were added. @throws NotFoundException */
    suspend fun attachments(caseId: String): List<AttachmentInfo> = io { attachments(caseId) }

    /** An attachment's content, checked against its SHA-256. @throws NotFoundException @throws StoreTamperedException */
    suspend fun readAttachment(caseId: String, attachmentId: String): ByteArray =
        io { readAttachment(caseId, attachmentId) }

    /** A case's custody log, oldest first, its hash chain checked. @throws StoreTamperedException */
    suspend fun custodyLog(caseId: String): List<CustodyEvent> = io { custodyLog(caseId) }

    /** This device's signing key: what the receiving unit puts on its trust list. */
    suspend fun deviceInfo(): DeviceInfo = io { deviceInfo() }

    /**
     * Adds (or replaces) a receiving unit from its signed card's JSON (`indicia unit-card`, or
     * its QR code). Show [TrustedUnit.fingerprint] and have the worker compare it with the one
     * the unit reads out; [removeUnit] if they differ.
     * @throws BadSignatureException for an altered card
     * @throws UnsupportedInputException for an unsigned (v1) card
     * @throws CorruptInputException for text that is not a card
     */
    suspend fun addUnit(cardJson: String): TrustedUnit = io {
        val card = addUnit(cardJson)
        TrustedUnit(card, unitCardFingerprint(card))
    }

    /** The units the device seals to and believes receipts from. */
    suspend fun units(): List<TrustedUnit> = io { units().map { TrustedUnit(it, unitCardFingerprint(it)) } }

    /** Removes a unit by its signing key id; false if there was none. */
    suspend fun removeUnit(keyId: String): Boolean = io { removeUnit(keyId) }

    /**
     * Phase one of sealing: draft case [caseId] as a package in memory, to the units with key ids
     * [units] (every unit added when empty), signed by this device for [organisation]. The case
     * stays a draft until [confirmSealed]. Slow for large attachments: prefer [sealToFile].
     * @throws InvalidStateException when no unit was added or the case is not a draft
     * @throws NotFoundException for a key id of no added unit
     */
    suspend fun seal(caseId: String, organisation: String, units: List<String> = emptyList(), armored: Boolean = false): SealedPackage =
        change { sealCase(caseId, organisation, units, emptyList(), armored) }

    /**
     * Phase two: the package of [reportId] is stored or handed over, so the case becomes sealed.
     * @throws InvalidStateException when that package is not pending or the case changed since
     */
    suspend fun confirmSealed(caseId: String, reportId: String) = change { confirmSealed(caseId, reportId) }

    /**
     * Seals draft case [caseId] into [file], streaming (memory stays flat whatever the
     * attachments' size); the file appears whole or not at all, and the case is then sealed.
     * @throws IoException when the file cannot be written
     * @throws InvalidStateException
     * @throws NotFoundException as for [seal]
     */
    suspend fun sealToFile(caseId: String, organisation: String, file: File, units: List<String> = emptyList()): SealedReport =
        change { sealCaseToFile(caseId, organisation, units, emptyList(), file.path) }

    /** A sealed case's package was handed over (sealed → handed over). @throws InvalidStateException */
    suspend fun markHandedOver(caseId: String) = change { markHandedOver(caseId) }

    /**
     * Imports a receipt a unit sent back (binary or armored age file): decrypted with this
     * device's reply key, its signature checked against the added units; the case becomes
     * acknowledged, hence deletable.
     * @throws UntrustedSignerException for a unit the device does not know
     * @throws WrongIdentityException for a receipt meant for another device
     * @throws CorruptInputException for a damaged file
     * @throws InvalidStateException for a report this store did not seal
     */
    suspend fun importReceipt(receipt: ByteArray): ImportedReceipt = change { importReceipt(receipt) }

    /**
     * Closes the handle: the keys are forgotten when the call in progress (if any) ends. Later
     * calls throw IllegalStateException. Never blocks.
     */
    override fun close() {
        if (markClosed()) store.close()
    }

    companion object {
        /**
         * Creates a store in [file], protected by [pin] and, when given, [device] (then a 6-digit
         * PIN is enough; without it the core asks for a strong passphrase). [device] is asked to
         * [DeviceSecret.prepare] a new key first. With [wipeAfter], the store erases itself after
         * that many consecutive wrong PINs. It starts unlocked.
         *
         * All or nothing: when any step fails (the key, the store, the limit), no store is left
         * in [file], so the caller can simply try again.
         * @throws WeakPinException
         * @throws InvalidStateException when a store exists there
         * @throws StoreFailureException when the device secret (Keystore) refused
         */
        suspend fun create(
            file: File,
            pin: String,
            device: DeviceSecret?,
            kdf: KdfParams = mobileKdf(),
            counter: RollbackCounter? = null,
            dispatcher: CoroutineDispatcher = Dispatchers.IO,
            wipeAfter: Int? = null,
        ): FieldStore = make(device, counter, dispatcher, prepare = true, configure = { setWipeAfter(wipeAfter?.toUInt()) }) {
            file.parentFile?.mkdirs()
            CaseStore.create(file.path, pin, kdf, it)
        }

        /** As [create], in memory only (nothing on disk; gone when closed). */
        suspend fun createInMemory(
            pin: String,
            device: DeviceSecret?,
            kdf: KdfParams = mobileKdf(),
            dispatcher: CoroutineDispatcher = Dispatchers.IO,
        ): FieldStore = make(device, null, dispatcher) { CaseStore.createInMemory(pin, kdf, it) }

        /**
         * Opens the store in [file], locked; [device] answers its challenge at unlock.
         * @throws NoStoreException when there is none (never created, wiped or deleted)
         * @throws StoreTamperedException
         */
        suspend fun open(
            file: File,
            device: DeviceSecret?,
            counter: RollbackCounter? = null,
            dispatcher: CoroutineDispatcher = Dispatchers.IO,
        ): FieldStore = make(device, counter, dispatcher) { CaseStore.open(file.path) }

        /**
         * Builds the core store and sets it up; a new one ([prepare]) that fails to be set up is
         * erased, an opened one only closed.
         */
        private suspend fun make(
            device: DeviceSecret?,
            counter: RollbackCounter?,
            dispatcher: CoroutineDispatcher,
            prepare: Boolean = false,
            configure: CaseStore.() -> Unit = {},
            build: (HostDeviceSecret?) -> CaseStore,
        ): FieldStore = withContext(dispatcher) {
            val host = device?.let(::DeviceSecretAdapter)
            if (prepare && device != null) {
                try {
                    device.prepare()
                } catch (e: Exception) {
                    throw StoreFailureException("the device secret could not make its key", e)
                }
            }
            val store = core { build(host) }
            try {
                core {
                    store.configure()
                    if (counter != null) store.setRollbackCounter(RollbackCounterAdapter(counter))
                }
            } catch (e: Throwable) {
                if (prepare) runCatching { store.quickDelete() }
                store.close()
                throw e
            }
            FieldStore(store, host, dispatcher).also { it.refresh() }
        }
    }
}
