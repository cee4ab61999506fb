package org.indicia.field

import org.indicia.core.IndiciaException

/**
 * Seals what the worker recorded for the receiving units configured in the app.
 *
 * Kept free of Android classes so it compiles and is tested on a plain JVM (tests/kotlin): the
 * Android SDK cannot be installed on the project's build machines. All crypto is in the Rust core.
 */
class ReportSealer(private val recipients: List<String>) {
    /** A binary age file, for a file share or an upload. */
    @Throws(IndiciaException::class)
    fun seal(report: String): ByteArray =
        org.indicia.core.seal(report.toByteArray(Charsets.UTF_8), recipients)

    /** An ASCII-armored age file, for channels that carry only text (e-mail, messengers, QR). */
    @Throws(IndiciaException::class)
    fun sealAsText(report: String): String =
        org.indicia.core.sealArmored(report.toByteArray(Charsets.UTF_8), recipients)
}
