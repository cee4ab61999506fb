// What one installation of the field app is configured with: plain values, no Android types.
package org.indicia.field

import java.io.File
import org.indicia.core.mobileKdf
import org.indicia.core.model.KdfParams

/**
 * @property storeFile the encrypted store (the app's no-backup files folder on Android)
 * @property outbox where sealed packages wait to be shared (removed by quick delete)
 * @property organisation the organisation id packages are signed for (`sk.example-ngo`)
 * @property language the worker's checklist language (one the checklist offers)
 * @property checklistId the built-in checklist new cases run
 * @property wipeAfter wrong PINs before the store erases itself
 * @property kdf Argon2id parameters for new PINs (the phone default outside tests)
 */
data class FieldSettings(
    val storeFile: File,
    val outbox: File,
    val organisation: String,
    val language: String = "en",
    val checklistId: String = "first-contact",
    val wipeAfter: Int = 10,
    val kdf: KdfParams = mobileKdf(),
)
