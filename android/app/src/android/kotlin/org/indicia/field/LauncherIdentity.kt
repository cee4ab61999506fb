// The launcher's name and icon: Indicia's own, or the neutral pair a deployment chose
// (res/values/deployment.xml), by enabling exactly one of the manifest's two activity aliases.
// Android-only; not compiled here (docs/android.md).
package org.indicia.field

import android.content.ComponentName
import android.content.Context
import android.content.pm.PackageManager

internal object LauncherIdentity {
    /** Shows the neutral name and icon when [neutral], else Indicia's; a no-op once applied. */
    fun apply(context: Context, neutral: Boolean) {
        val (on, off) = if (neutral) "LaunchNeutral" to "LaunchIndicia" else "LaunchIndicia" to "LaunchNeutral"
        set(context, on, PackageManager.COMPONENT_ENABLED_STATE_ENABLED)
        set(context, off, PackageManager.COMPONENT_ENABLED_STATE_DISABLED)
    }

    private fun set(context: Context, alias: String, state: Int) {
        val component = ComponentName(context, "org.indicia.field.$alias")
        val pm = context.packageManager
        // DONT_KILL_APP: the switch happens while the worker uses the app, not by closing it.
        if (pm.getComponentEnabledSetting(component) != state) pm.setComponentEnabledSetting(component, state, PackageManager.DONT_KILL_APP)
    }
}
