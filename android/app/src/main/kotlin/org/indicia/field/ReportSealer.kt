package org.indicia.field

import org.indicia.core.CaseStore
import org.indicia.core.IndiciaException
import org.indicia.core.model.SealedPackage

/**
 * Seals a case the worker recorded in the store for the receiving units whose signed cards the
 * store holds (added with [CaseStore.addUnit], their fingerprints shown to the worker to compare).
 * There is no way to seal to an age recipient the app was handed: a swapped-in recipient is the
 * attack (docs/threat-model.md).
 *
 * The package is made in memory; the case stays a draft until the app has stored or shared the
 * package and calls [confirm] with its report id (two-phase sealing, docs/formats/store.md).
 *
 * Kept free of Android classes so it compiles and is tested on a plain JVM (tests/kotlin): the
 * Android SDK cannot be installed on the project's build machines. All crypto is in the Rust core.
 */
class ReportSealer(private val store: CaseStore, private val organisation: String) {
    /**
     * A binary package of case [caseId] for the units with signing key ids [units] (every unit
     * the store holds when empty), for a file share or an upload. `NotFound` for a key id of no
     * added unit, `InvalidState` when no unit was added.
     */
    @Throws(IndiciaException::class)
    fun seal(caseId: String, units: List<String> = emptyList()): SealedPackage =
        store.sealCase(caseId, organisation, units, emptyList(), false)

    /** The same as an ASCII-armored package, for channels that carry only text (e-mail, messengers). */
    @Throws(IndiciaException::class)
    fun sealAsText(caseId: String, units: List<String> = emptyList()): SealedPackage =
        store.sealCase(caseId, organisation, units, emptyList(), true)

    /** The package of [reportId] is stored or shared: the case becomes sealed. */
    @Throws(IndiciaException::class)
    fun confirm(caseId: String, reportId: String) = store.confirmSealed(caseId, reportId)
}
