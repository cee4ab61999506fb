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
 * @property attemptsLeft wrong PINs left before the store is erased, as the store keeps them;
 *   null when it has no limit
 * @property error why the last attempt failed (WrongPinException, StoreFailureException when the
 *   Keystore refused, StoreTamperedException), null after none
 */
data class LockState(
    val busy: Boolean = false,
    val failedAttempts: Int = 0,
    val attemptsLeft: Int? = null,
    val error: IndiciaException? = null,
)

/** The lock screen's state holder. */
class LockModel internal constructor(
    private val store: FieldStore,
    private val onUnlocked: suspend () -> Unit,
    private val onWiped: suspend () -> Unit,
) {
    private val stateFlow = MutableStateFlow(LockState())

    /** What the lock screen shows. */
    val state: StateFlow<LockState> = stateFlow.asStateFlow()

    /** Reads the wrong-PIN count and limit the store kept (e.g. after the app restarted). */
    suspend fun refresh() {
        stateFlow.value = stateFlow.value.copy(failedAttempts = store.failedUnlocks(), attemptsLeft = store.attemptsLeft())
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
            stateFlow.value = LockState()
            onUnlocked()
        } catch (e: StoreWipedException) {
            stateFlow.value = LockState(error = e)
            onWiped()
        } catch (e: WrongPinException) {
            stateFlow.value = try {
                // The store's own count: without a limit there is nothing to count down.
                LockState(failedAttempts = store.failedUnlocks(), attemptsLeft = store.attemptsLeft(), error = e)
            } catch (gone: IllegalStateException) {
                return // quick delete closed the store meanwhile: this screen is gone
            }
        } catch (e: IndiciaException) {
            stateFlow.value = stateFlow.value.copy(busy = false, error = e)
        }
    }
}
