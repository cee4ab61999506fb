// The field app's top level as plain Kotlin: which screen shows, and the moves between them —
// set-up on an empty device, the lock screen, the case list, a case; auto-lock when the app goes
// to the background; wipe after too many wrong PINs; quick delete. The Android layer only renders
// [FieldApp.screen] and forwards taps and lifecycle events (android/app/src/android).
package org.indicia.field

import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import org.indicia.core.model.DeviceInfo
import org.indicia.sdk.DeviceSecret
import org.indicia.sdk.FieldStore
import org.indicia.sdk.IndiciaException
import org.indicia.sdk.NoStoreException

/** What the app shows; each screen carries its state holder. */
sealed interface Screen {
    /** Reading whether a store exists. */
    data object Starting : Screen

    /** No store on the device: choose a PIN, add the unit's card, compare its fingerprint. */
    data class SetUp(val model: SetUpModel) : Screen

    /** A store exists and is locked. */
    data class Locked(val model: LockModel) : Screen

    /** The case list, with receipt import. */
    data class Cases(val model: CaseListModel) : Screen

    /** One case: checklist, notes, attachments, sealing and hand-over. */
    data class Case(val model: CaseModel) : Screen

    /**
     * The store exists but cannot be used: [error] is StoreTamperedException (altered or rolled
     * back) or StoreFailureException. Nothing is erased by itself; quick delete starts again.
     */
    data class Broken(val error: IndiciaException) : Screen
}

/**
 * The app. [device] is the device-bound secret (Android Keystore HMAC); [eraseDeviceKey] destroys
 * its key on quick delete (called on [dispatcher]). [scope] runs the store lock that auto-lock starts.
 *
 * Threading: call from the main thread; store work runs on [dispatcher] through the SDK.
 */
class FieldApp(
    val settings: FieldSettings,
    private val device: DeviceSecret,
    private val scope: CoroutineScope,
    private val dispatcher: CoroutineDispatcher = Dispatchers.IO,
    private val eraseDeviceKey: () -> Unit = {},
) {
    private val screenFlow = MutableStateFlow<Screen>(Screen.Starting)
    private var store: FieldStore? = null

    /** The screen to show. */
    val screen: StateFlow<Screen> = screenFlow.asStateFlow()

    /** Set when the store was erased by too many wrong PINs (shown once on the set-up screen). */
    var wipedByWrongPins: Boolean = false
        private set

    /** Opens the store if there is one (locked), or starts set-up. */
    suspend fun start() {
        screenFlow.value = try {
            val open = FieldStore.open(settings.storeFile, device, dispatcher = dispatcher)
            store = open
            Screen.Locked(lockModel(open).apply { refresh() })
        } catch (e: NoStoreException) {
            Screen.SetUp(setUpModel())
        } catch (e: IndiciaException) {
            Screen.Broken(e)
        }
    }

    /** Set when the app went to the background while set-up was creating the store. */
    private var lockOnceCreated = false

    private fun setUpModel(existing: FieldStore? = null) = SetUpModel(
        settings, device, dispatcher, existing,
        onCreated = { if (lockOnceCreated) onBackground()?.join() },
    ) { ready ->
        store = ready
        enter(ready)
    }

    /** The case list once the store is unlocked; set-up's unit step first if no unit was added. */
    private suspend fun enter(open: FieldStore) {
        if (open.units().isEmpty()) screenFlow.value = Screen.SetUp(setUpModel(open)) else showCases(open)
    }

    private fun lockModel(store: FieldStore): LockModel {
        var model: LockModel? = null
        return LockModel(
            store,
            // An unlock that ends after its lock screen went (backgrounded again, or erased) shows
            // nothing: the newer screen stays.
            onUnlocked = { if ((screenFlow.value as? Screen.Locked)?.model === model) enter(store) },
            onWiped = {
                wipedByWrongPins = true
                forget()
                screenFlow.value = Screen.SetUp(setUpModel())
            },
        ).also { model = it }
    }

    private fun showCases(store: FieldStore) {
        screenFlow.value = Screen.Cases(CaseListModel(store, settings, ::openCase))
    }

    /** Opens case [caseId] (from the case list, or a new case). */
    suspend fun openCase(caseId: String) {
        val open = store ?: return
        val model = CaseModel.load(open, settings, dispatcher, caseId)
        if (screenFlow.value is Screen.Cases) screenFlow.value = Screen.Case(model) else model.close() // locked meanwhile
    }

    /**
     * This device's signing key, which the receiving unit puts on its trust list (`indicia trust
     * add --device`): shown to the worker once set-up is done; null before.
     */
    suspend fun deviceKey(): DeviceInfo? = store?.deviceInfo()

    /** Back from a case to the list. */
    fun closeCase() {
        val current = screenFlow.value as? Screen.Case ?: return
        current.model.close()
        store?.let(::showCases)
    }

    /**
     * The app went to the background: nothing of the cases stays on screen (the lock screen shows
     * at once) and the store forgets its keys. Returns the job locking the store.
     */
    fun onBackground(): Job? {
        val creating = (screenFlow.value as? Screen.SetUp)?.model?.state?.value?.busy == true
        lockOnceCreated = creating && currentStore() == null // locked as soon as it exists
        val open = currentStore() ?: return null // set-up before the PIN: nothing to lock (yet)
        val current = screenFlow.value
        when (current) {
            is Screen.Case -> current.model.close()
            is Screen.Cases, is Screen.SetUp -> Unit // set-up resumes at its unit step after unlock
            // An unlock under way: a new lock screen, and the store locked again after it.
            is Screen.Locked -> if (!current.model.state.value.busy) return null
            else -> return null // broken
        }
        store = open
        screenFlow.value = Screen.Locked(lockModel(open))
        return scope.launch {
            try {
                open.lock()
            } catch (e: Exception) {
                if (current !is Screen.Locked) throw e // else that unlock's wrong PIN erased the store
            }
        }
    }

    /** The open store, also while set-up holds it (created, no unit accepted yet). */
    private fun currentStore(): FieldStore? = store ?: (screenFlow.value as? Screen.SetUp)?.model?.createdStore

    /**
     * Quick delete: the screen goes blank to set-up at once; the store's keys, then its data and
     * files, the outbox's packages and the device key are destroyed. Works locked, unlocked or
     * on a broken store.
     */
    suspend fun quickDelete() {
        (screenFlow.value as? Screen.Case)?.model?.close()
        val open = currentStore()
        store = null
        screenFlow.value = Screen.SetUp(setUpModel())
        try {
            open?.quickDelete()
        } finally {
            // Without a handle (a broken store) or after a failed erase: the files themselves. Disk
            // and Keystore work, so off the caller's (main) thread; done even if the tap is cancelled.
            withContext(NonCancellable + dispatcher) {
                settings.storeFile.parentFile?.listFiles { f -> f.name.startsWith(settings.storeFile.name) }?.forEach { it.delete() }
                settings.outbox.listFiles()?.forEach { it.delete() }
                eraseDeviceKey()
            }
        }
    }

    /** The app is going away (Activity destroyed): the store handle is closed, its keys forgotten. */
    fun close() {
        (screenFlow.value as? Screen.Case)?.model?.close()
        currentStore()?.close()
        store = null
        screenFlow.value = Screen.Starting
    }

    /** After a wipe: the handle closed and the outbox emptied, its files off the caller's thread. */
    private suspend fun forget() {
        store?.close()
        store = null
        withContext(NonCancellable + dispatcher) { settings.outbox.listFiles()?.forEach { it.delete() } }
    }
}
