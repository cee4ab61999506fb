// The lock screen: PIN plus the device-bound secret (the SDK's FieldStore asks the Keystore),
// the count of wrong PINs and how many are left before the store erases itself.
package org.indicia.field

import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import org.indicia.sdk.FieldStore
import org.indicia.sdk.IndiciaException
import org.indicia.sdk.StoreWipedException
import org.indicia.sdk.WrongPinException

/**
 * @property busy an unlock is running (Argon2id: the button is disabled meanwhile)
 * @property failedAttempts consecutive wrong PINs so far
 * @property attemptsLeft wrong PINs left before the store is erased
 * @property error why the last attempt failed (WrongPinException, StoreFailureException when the
 *   Keystore refused, StoreTamperedException), null after none
 */
data class LockState(
    val busy: Boolean = false,
    val failedAttempts: Int = 0,
    val attemptsLeft: Int = 0,
    val error: IndiciaException? = null,
)

/** The lock screen's state holder. */
class LockModel internal constructor(
    private val store: FieldStore,
    private val settings: FieldSettings,
    private val onUnlocked: suspend () -> Unit,
    private val onWiped: () -> Unit,
) {
    private val stateFlow = MutableStateFlow(LockState(attemptsLeft = settings.wipeAfter))

    /** What the lock screen shows. */
    val state: StateFlow<LockState> = stateFlow.asStateFlow()

    /** Reads the wrong-PIN count the store kept (e.g. after the app restarted). */
    suspend fun refresh() {
        val failed = store.failedUnlocks()
        stateFlow.value = stateFlow.value.copy(failedAttempts = failed, attemptsLeft = settings.wipeAfter - failed)
    }

    /**
     * Tries [pin]. On success the app shows the case list; on the last allowed wrong PIN the
     * store is erased and the app shows set-up. Other failures stay on this screen in [state].
     */
    suspend fun submit(pin: String) {
        if (stateFlow.value.busy) return
        stateFlow.value = stateFlow.value.copy(busy = true, error = null)
        try {
            store.unlock(pin)
            stateFlow.value = LockState(attemptsLeft = settings.wipeAfter)
            onUnlocked()
        } catch (e: StoreWipedException) {
            stateFlow.value = LockState(error = e)
            onWiped()
        } catch (e: WrongPinException) {
            val failed = try {
                store.failedUnlocks()
            } catch (gone: IllegalStateException) {
                return // quick delete closed the store meanwhile: this screen is gone
            }
            stateFlow.value = LockState(
                failedAttempts = failed,
                attemptsLeft = e.attemptsLeft ?: (settings.wipeAfter - failed),
                error = e,
            )
        } catch (e: IndiciaException) {
            stateFlow.value = stateFlow.value.copy(busy = false, error = e)
        }
    }
}
