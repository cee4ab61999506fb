// The one Activity: FLAG_SECURE (no screenshots, no recent-apps thumbnail of a case), the app's
// state holders made from the device's folders and its Keystore key, auto-lock when the whole app
// goes to the background, and the Compose screens. Android-only; not compiled here (docs/android.md).
package org.indicia.field

import android.os.Bundle
import android.view.WindowManager
import androidx.activity.ComponentActivity
import androidx.activity.compose.setContent
import androidx.lifecycle.DefaultLifecycleObserver
import androidx.lifecycle.LifecycleOwner
import androidx.lifecycle.ProcessLifecycleOwner
import androidx.lifecycle.lifecycleScope
import java.io.File
import kotlinx.coroutines.launch
import org.indicia.sdk.ChecklistRun

class MainActivity : ComponentActivity() {
    private lateinit var app: FieldApp

    private val autoLock = object : DefaultLifecycleObserver {
        override fun onStop(owner: LifecycleOwner) {
            app.onBackground()
        }
    }

    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        window.setFlags(WindowManager.LayoutParams.FLAG_SECURE, WindowManager.LayoutParams.FLAG_SECURE)
        LauncherIdentity.apply(this, resources.getBoolean(R.bool.neutral_identity))
        val device = KeystoreDeviceSecret(applicationContext)
        val settings = FieldSettings(
            storeFile = File(noBackupFilesDir, "store/field.db"),
            outbox = File(filesDir, "outbox"),
            organisation = getString(R.string.organisation),
            language = checklistLanguage(resources.configuration.locales[0].language),
        )
        app = FieldApp(settings, device, lifecycleScope, eraseDeviceKey = device::destroy)
        ProcessLifecycleOwner.get().lifecycle.addObserver(autoLock)
        lifecycleScope.launch { app.start() }
        setContent { FieldScreens(app, lifecycleScope) { file -> sharePackage(this, file) } }
    }

    /** The phone's language if the checklist offers it, else the checklist's English. */
    private fun checklistLanguage(phone: String): String =
        ChecklistRun.builtin("first-contact", "en").use { if (phone in it.info.languages) phone else "en" }

    override fun onDestroy() {
        ProcessLifecycleOwner.get().lifecycle.removeObserver(autoLock)
        app.close()
        super.onDestroy()
    }
}
