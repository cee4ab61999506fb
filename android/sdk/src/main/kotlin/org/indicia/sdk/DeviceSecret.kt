// What the host app plugs into the store: the device-bound secret (Android Keystore HMAC; see
// android/app/src/android/kotlin/org/indicia/field/KeystoreDeviceSecret.kt) and an optional
// monotonic rollback counter. Plain interfaces, adapted to the generated callback traits here.
package org.indicia.sdk

import org.indicia.core.HostDeviceSecret
import org.indicia.core.HostRollbackCounter

/**
 * A secret the device computes in secure hardware (docs/formats/store.md, "Key slots"): the store
 * hands it a 32-byte challenge at create, unlock, PIN change and re-key, and needs the same 32
 * bytes back for the same challenge on the same device. A copy of the store's files plus the PIN
 * opens nothing without it.
 *
 * Threading: called on the store's dispatcher (never the caller's thread), inside the call that
 * needs it. Errors: throw any exception when the hardware refuses (the user did not authenticate,
 * the key is gone); the store call then fails with [StoreFailureException], and a wrong answer
 * with [WrongPinException].
 */
fun interface DeviceSecret {
    /**
     * HMAC-SHA256 (or equal) of [challenge] (32 bytes) with the hardware-held key: 32 bytes.
     * Never makes a key: when the key is gone (the phone's secure storage was reset), throw, so
     * the store reports [StoreFailureException] instead of counting every PIN as wrong until it
     * erases itself.
     */
    fun respond(challenge: ByteArray): ByteArray

    /**
     * Makes a new hardware key, replacing any old one. [FieldStore.create] calls it once, on the
     * store's dispatcher, before the store's first challenge; nothing else does. The default does
     * nothing (a secret whose key always exists).
     */
    fun prepare() {}
}

/**
 * A counter kept outside the store's files, that only goes up (a hardware monotonic counter where
 * the platform has one). With it, putting every file of the store back to an older copy is caught
 * at unlock ([StoreTamperedException]).
 *
 * Threading: called on the store's dispatcher, after each commit and at unlock.
 */
interface RollbackCounter {
    /** The counter's value. */
    fun read(): Long

    /** Raises the counter to [value]; never lowers it. */
    fun advance(value: Long)
}

internal class DeviceSecretAdapter(private val secret: DeviceSecret) : HostDeviceSecret {
    override fun respond(challenge: ByteArray): ByteArray = secret.respond(challenge)
}

internal class RollbackCounterAdapter(private val counter: RollbackCounter) : HostRollbackCounter {
    override fun read(): ULong = counter.read().toULong()

    override fun advance(value: ULong) = counter.advance(value.toLong())
}
