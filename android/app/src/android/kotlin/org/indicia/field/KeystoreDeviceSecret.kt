// The device-bound secret on Android (docs/formats/store.md, "Key slots"): an HMAC-SHA256 key
// generated inside the Android Keystore — in StrongBox where the phone has one — that never
// leaves the secure hardware. The store gives it a 32-byte challenge at create and unlock and
// gets 32 bytes back; a copy of the store's files plus the PIN opens nothing without this key.
//
// Android-only (android.security.keystore): this source set is not compiled on the project's
// build machines, which have no Android SDK (docs/android.md says what is and is not verified).
// The JVM tests use an equivalent HMAC key in plain Kotlin (tests/kotlin/StoreTests.kt).
package org.indicia.field

import android.content.Context
import android.content.pm.PackageManager
import android.os.Build
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyProperties
import android.security.keystore.StrongBoxUnavailableException
import java.security.KeyStore
import javax.crypto.KeyGenerator
import javax.crypto.Mac
import javax.crypto.SecretKey
import org.indicia.sdk.DeviceSecret

/**
 * The SDK's [DeviceSecret] backed by an Android Keystore HMAC key named [alias].
 *
 * @param requireUserAuthentication when true, the key is usable only for
 *   [authenticationSeconds] after the user authenticated (device credential or strong
 *   biometric), so a thief with the unlocked phone but not its screen lock cannot answer.
 *   Calls then fail with `UserNotAuthenticatedException` until the app shows a
 *   `BiometricPrompt`; the store call reports that as a `StoreFailureException`.
 *
 * Threading: [respond] runs a Keystore operation (milliseconds; on StrongBox up to ~100 ms):
 * the SDK calls it on the store's dispatcher, never the main thread.
 */
class KeystoreDeviceSecret(
    private val context: Context,
    private val alias: String = "indicia-device-secret",
    private val requireUserAuthentication: Boolean = false,
    private val authenticationSeconds: Int = 30,
) : DeviceSecret {

    override fun respond(challenge: ByteArray): ByteArray {
        require(challenge.size == 32) { "a device challenge is 32 bytes" }
        // A missing key is never quietly replaced: the store would count every PIN as wrong.
        val key = keyStore().getKey(alias, null) as? SecretKey
            ?: throw IllegalStateException("the device key is gone from the Keystore")
        val mac = Mac.getInstance("HmacSHA256")
        mac.init(key)
        return mac.doFinal(challenge)
    }

    /** A new key for a new store (called by FieldStore.create only), replacing any old one. */
    override fun prepare() {
        destroy()
        generate()
    }

    /** Deletes the key: every store bound to it can never be opened again (part of quick delete). */
    fun destroy() {
        keyStore().deleteEntry(alias)
    }

    private fun keyStore(): KeyStore = KeyStore.getInstance("AndroidKeyStore").apply { load(null) }

    private fun generate(): SecretKey {
        val strongBox = Build.VERSION.SDK_INT >= Build.VERSION_CODES.P &&
            context.packageManager.hasSystemFeature(PackageManager.FEATURE_STRONGBOX_KEYSTORE)
        return try {
            generate(strongBox)
        } catch (e: StrongBoxUnavailableException) {
            // Declared but not usable on this phone: the TEE-backed Keystore is the next best.
            generate(false)
        }
    }

    private fun generate(strongBox: Boolean): SecretKey {
        val spec = KeyGenParameterSpec.Builder(alias, KeyProperties.PURPOSE_SIGN)
            .setKeySize(256)
            .apply {
                if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.P) setIsStrongBoxBacked(strongBox)
                if (requireUserAuthentication) {
                    setUserAuthenticationRequired(true)
                    if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.R) {
                        setUserAuthenticationParameters(
                            authenticationSeconds,
                            KeyProperties.AUTH_DEVICE_CREDENTIAL or KeyProperties.AUTH_BIOMETRIC_STRONG,
                        )
                    } else {
                        @Suppress("DEPRECATION")
                        setUserAuthenticationValidityDurationSeconds(authenticationSeconds)
                    }
                }
            }
            .build()
        return KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_HMAC_SHA256, "AndroidKeyStore").run {
            init(spec)
            generateKey()
        }
    }
}
