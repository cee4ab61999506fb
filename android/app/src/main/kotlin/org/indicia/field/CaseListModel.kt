// The case list: the store's cases (most recent first, each with its status and whether it may
// be deleted), a new case on the configured checklist, and importing a receipt a unit sent back.
package org.indicia.field

import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import org.indicia.core.model.CaseSummary
import org.indicia.core.model.ImportedReceipt
import org.indicia.sdk.FieldStore
import org.indicia.sdk.IndiciaException

/** The outcome of the last receipt import: the receipt, or why it was refused. */
sealed interface ReceiptResult {
    /** Imported: [receipt] names the case, its new status and the unit. */
    data class Imported(val receipt: ImportedReceipt) : ReceiptResult

    /** Refused: UntrustedSignerException (a unit the device does not know), WrongIdentityException (for another device), CorruptInputException, InvalidStateException. */
    data class Refused(val error: IndiciaException) : ReceiptResult
}

/** The case list's state holder. */
class CaseListModel internal constructor(
    private val store: FieldStore,
    private val settings: FieldSettings,
    private val open: suspend (String) -> Unit,
) {
    private val receiptFlow = MutableStateFlow<ReceiptResult?>(null)
    private val errorFlow = MutableStateFlow<IndiciaException?>(null)

    /** The cases, most recently updated first; updated after every change. */
    val cases: StateFlow<List<CaseSummary>> = store.cases

    /** Why the last new case or opening was refused (InvalidArgumentException for an over-long title; StoreLockedException once locked), null after none. */
    val error: StateFlow<IndiciaException?> = errorFlow.asStateFlow()

    /** The last receipt import's outcome, until the next one. */
    val receipt: StateFlow<ReceiptResult?> = receiptFlow.asStateFlow()

    /** Starts a case titled [title] on the configured checklist in the worker's language and opens it. */
    suspend fun newCase(title: String) = refusable {
        open(store.createCase(title, settings.checklistId, settings.language))
    }

    /** Opens an existing case. */
    suspend fun openCase(caseId: String) = refusable { open(caseId) }

    private suspend fun refusable(action: suspend () -> Unit) {
        errorFlow.value = null
        try {
            action()
        } catch (e: IndiciaException) {
            errorFlow.value = e
        } catch (e: IllegalStateException) {
            if (!store.isClosed) throw e // else quick delete closed the store meanwhile: this list is gone
        }
    }

    /** Imports a receipt file's bytes; the result shows in [receipt] and the list updates. */
    suspend fun importReceipt(bytes: ByteArray) {
        receiptFlow.value = try {
            ReceiptResult.Imported(store.importReceipt(bytes))
        } catch (e: IndiciaException) {
            ReceiptResult.Refused(e)
        } catch (e: IllegalStateException) {
            if (!store.isClosed) throw e
            return // quick delete meanwhile
        }
    }
}
