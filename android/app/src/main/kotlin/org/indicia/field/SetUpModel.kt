// Set-up on an empty device: a PIN (typed twice) bound to the device secret, the receiving unit's
// signed card (from its QR code or a file), and the worker comparing the card's fingerprint with
// the one the unit reads out over another channel.
package org.indicia.field

import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import org.indicia.sdk.DeviceSecret
import org.indicia.sdk.FieldStore
import org.indicia.sdk.IndiciaException
import org.indicia.sdk.TrustedUnit

/** The set-up steps, in order. */
enum class SetUpStep { ChoosePin, AddUnit, CompareFingerprint }

/** Why a set-up step did not go on. */
sealed interface SetUpProblem {
    /** The two PINs typed differ. */
    data object PinsDiffer : SetUpProblem

    /** The worker said the fingerprint is not the one the unit read out: the card was removed. */
    data object FingerprintRejected : SetUpProblem

    /** The core refused (WeakPinException for the PIN; BadSignature, UnsupportedInput or CorruptInput for a card). */
    data class Refused(val error: IndiciaException) : SetUpProblem
}

/**
 * @property unit the card being compared (step [SetUpStep.CompareFingerprint])
 */
data class SetUpState(
    val step: SetUpStep = SetUpStep.ChoosePin,
    val busy: Boolean = false,
    val unit: TrustedUnit? = null,
    val problem: SetUpProblem? = null,
)

/**
 * The set-up screen's state holder; [onDone] receives the unlocked store. Given an [existing]
 * store (set-up was left before a unit card was added), it starts at the unit step.
 */
class SetUpModel internal constructor(
    private val settings: FieldSettings,
    private val device: DeviceSecret,
    private val dispatcher: CoroutineDispatcher,
    existing: FieldStore?,
    private val onCreated: suspend () -> Unit = {},
    private val onDone: suspend (FieldStore) -> Unit,
) {
    private var store: FieldStore? = existing

    /** The store once the PIN was chosen (the app locks it if it goes to the background meanwhile). */
    internal val createdStore: FieldStore? get() = store
    private val stateFlow = MutableStateFlow(SetUpState(if (existing == null) SetUpStep.ChoosePin else SetUpStep.AddUnit))

    /** What the set-up screen shows. */
    val state: StateFlow<SetUpState> = stateFlow.asStateFlow()

    private fun show(step: SetUpStep, problem: SetUpProblem? = null, unit: TrustedUnit? = null) {
        stateFlow.value = SetUpState(step, busy = false, unit = unit, problem = problem)
    }

    /** Creates the store under [pin] and the device secret, erasing itself after the configured wrong PINs. */
    suspend fun choosePin(pin: String, repeated: String) {
        if (stateFlow.value.busy) return // a second tap while the store is being created
        if (pin != repeated) return show(SetUpStep.ChoosePin, SetUpProblem.PinsDiffer)
        stateFlow.value = stateFlow.value.copy(busy = true, problem = null)
        try {
            // The limit is set inside create: a store is made with it or not at all.
            store = FieldStore.create(settings.storeFile, pin, device, settings.kdf, dispatcher = dispatcher, wipeAfter = settings.wipeAfter)
            show(SetUpStep.AddUnit)
            onCreated()
        } catch (e: IndiciaException) {
            show(SetUpStep.ChoosePin, SetUpProblem.Refused(e))
        }
    }

    /** Adds the unit's signed card ([cardJson]: the QR code's or file's text) and shows its fingerprint. */
    suspend fun addUnitCard(cardJson: String) {
        val open = checkNotNull(store) { "choose a PIN first" }
        try {
            show(SetUpStep.CompareFingerprint, unit = open.addUnit(cardJson))
        } catch (e: IndiciaException) {
            show(SetUpStep.AddUnit, SetUpProblem.Refused(e))
        } catch (e: IllegalStateException) {
            if (!open.isClosed) throw e // else quick delete closed the store meanwhile: no screen to update
        }
    }

    /**
     * The worker compared the fingerprint: [matches] finishes set-up; otherwise the card is
     * removed and another is asked for.
     */
    suspend fun compareFingerprint(matches: Boolean) {
        val open = checkNotNull(store) { "choose a PIN first" }
        val unit = checkNotNull(stateFlow.value.unit) { "add a unit card first" }
        try {
            if (matches) return onDone(open)
            open.removeUnit(unit.keyId)
            show(SetUpStep.AddUnit, SetUpProblem.FingerprintRejected)
        } catch (e: IndiciaException) {
            show(SetUpStep.CompareFingerprint, SetUpProblem.Refused(e), unit)
        } catch (e: IllegalStateException) {
            if (!open.isClosed) throw e // quick delete meanwhile
        }
    }
}
