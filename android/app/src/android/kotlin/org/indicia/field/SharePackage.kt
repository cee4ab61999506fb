// The share sheet for a sealed package in the outbox (FileProvider, read permission for the chosen
// app only). Android-only; not compiled here (docs/android.md).
package org.indicia.field

import android.content.Context
import android.content.Intent
import androidx.core.content.FileProvider
import java.io.File

/** Offers [file] (a sealed package) to the share sheet: messenger, e-mail, Files, Bluetooth. */
fun sharePackage(context: Context, file: File) {
    val uri = FileProvider.getUriForFile(context, "org.indicia.field.outbox", file)
    val send = Intent(Intent.ACTION_SEND)
        .setType("application/octet-stream")
        .putExtra(Intent.EXTRA_STREAM, uri)
        .addFlags(Intent.FLAG_GRANT_READ_URI_PERMISSION)
    context.startActivity(Intent.createChooser(send, null))
}
