// One case on screen: its checklist run (visible questions, required items, progress, the
// assessment with its explanation, actions and referrals), notes and attachments while it is a
// draft, then sealing into the outbox, handing the package over, and deleting once acknowledged.
package org.indicia.field

import java.io.File
import java.io.IOException
import java.nio.file.Files
import java.nio.file.StandardCopyOption
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.withContext
import org.indicia.core.AnswerValue
import org.indicia.core.model.AttachmentInfo
import org.indicia.core.model.CaseRecord
import org.indicia.core.model.CaseStatus
import org.indicia.core.model.Note
import org.indicia.sdk.ChecklistRun
import org.indicia.sdk.FieldStore
import org.indicia.sdk.IndiciaException
import org.indicia.sdk.IoException

/** Where a case is in the hand-over, from its record's status. */
sealed interface HandOver {
    /** A draft: editable; [CaseModel.seal] makes the package. */
    data object Draft : HandOver

    /**
     * Sealed: the package is [file] in the outbox, to share ([CaseModel.handedOver] afterwards);
     * null when it is no longer there (deleted outside the app).
     */
    data class Sealed(val reportId: String, val file: File?) : HandOver

    /** The package was handed over; waiting for the unit's receipt. */
    data class HandedOver(val reportId: String) : HandOver

    /** A unit's receipt acknowledged the report: the case may be deleted. */
    data class Acknowledged(val reportId: String) : HandOver
}

/**
 * @property error why the last action was refused (InvalidAnswerException for an answer,
 *   InvalidArgumentException for an over-long note, InvalidStateException, …), null after none
 */
data class CaseState(
    val record: CaseRecord,
    val notes: List<Note>,
    val attachments: List<AttachmentInfo>,
    val handOver: HandOver,
    val busy: Boolean = false,
    val error: IndiciaException? = null,
) {
    /** Answers, notes and attachments may change only while the case is a draft. */
    val editable: Boolean get() = record.status == CaseStatus.DRAFT
}

/** The case screen's state holder. Close it when the screen goes (FieldApp does). */
class CaseModel private constructor(
    private val store: FieldStore,
    private val settings: FieldSettings,
    /** Where the outbox's files are touched: never the caller's (main) thread. */
    private val dispatcher: CoroutineDispatcher,
    /** The case's checklist run: collect [ChecklistRun.state]; null for a case without a checklist. */
    val checklist: ChecklistRun?,
    initial: CaseState,
) : AutoCloseable {
    private val stateFlow = MutableStateFlow(initial)
    private val caseId = initial.record.id

    /** What the case screen shows besides the checklist. */
    val state: StateFlow<CaseState> = stateFlow.asStateFlow()

    @Volatile
    private var closed = false

    /**
     * Runs [action], then shows the case as stored, with the refusal if there was one. Once the
     * screen is closed (auto-lock, quick delete) an action still under way ends quietly: its
     * result has no screen to go to.
     */
    private suspend fun act(action: suspend () -> Unit) {
        if (closed) return
        stateFlow.value = stateFlow.value.copy(busy = true, error = null)
        var refused: IndiciaException? = null
        try {
            action()
        } catch (e: IndiciaException) {
            refused = e
        } catch (e: IllegalStateException) {
            if (!closed) throw e
        }
        if (closed) return
        stateFlow.value = try {
            read(store, settings, dispatcher, caseId).copy(error = refused)
        } catch (e: IndiciaException) {
            stateFlow.value.copy(busy = false, error = refused ?: e)
        }
    }

    /** Answers [questionId]; checked by the checklist, then saved. */
    suspend fun answer(questionId: String, value: AnswerValue) = act { checkNotNull(checklist).answer(questionId, value) }

    /** Clears the answer to [questionId]. */
    suspend fun clear(questionId: String) = act { checkNotNull(checklist).clear(questionId) }

    /** Adds a note. */
    suspend fun addNote(text: String) = act { store.addNote(caseId, text) }

    /** Adds a photo or document. */
    suspend fun addAttachment(name: String, mime: String, data: ByteArray) =
        act { store.addAttachment(caseId, name, mime, data) }

    /**
     * Seals the case for every unit the device holds into the outbox, as `report-<id>.age`;
     * the case is sealed once the file is whole. Share the file, then call [handedOver].
     */
    suspend fun seal() = act {
        val pending = pendingFile(settings, caseId)
        withContext(dispatcher) { settings.outbox.mkdirs() }
        val report = store.sealToFile(caseId, settings.organisation, pending)
        withContext(dispatcher) {
            try {
                Files.move(pending.toPath(), outboxFile(settings, report.reportId).toPath(), StandardCopyOption.ATOMIC_MOVE)
            } catch (e: IOException) {
                // The case is sealed and its package whole under the pending name, which [read]
                // also finds: the worker can still share it.
                throw IoException("the sealed package stays in the outbox under its pending name", e)
            }
        }
    }

    /** The share sheet (or a file save) took the package: sealed → handed over. */
    suspend fun handedOver() = act { store.markHandedOver(caseId) }

    /**
     * Deletes the case: a draft or acknowledged case at once; a sealed one not yet acknowledged
     * only with [force] (the device's deletion log keeps its id). Returns whether it was deleted;
     * the package in the outbox goes with it.
     */
    suspend fun delete(force: Boolean = false): Boolean {
        if (closed) return false
        val reportId = stateFlow.value.record.reportId
        return try {
            store.deleteCase(caseId, force)
            withContext(dispatcher) {
                reportId?.let { outboxFile(settings, it).delete() }
                pendingFile(settings, caseId).delete()
            }
            true
        } catch (e: IndiciaException) {
            stateFlow.value = stateFlow.value.copy(error = e)
            false
        }
    }

    /** The screen goes: the checklist run is freed; later actions do nothing. */
    override fun close() {
        closed = true
        checklist?.close()
    }

    companion object {
        internal suspend fun load(store: FieldStore, settings: FieldSettings, dispatcher: CoroutineDispatcher, caseId: String): CaseModel {
            val state = read(store, settings, dispatcher, caseId)
            val checklist = state.record.checklist?.let { store.openChecklist(caseId, settings.language) }
            return CaseModel(store, settings, dispatcher, checklist, state)
        }

        private fun outboxFile(settings: FieldSettings, reportId: String) = File(settings.outbox, "report-$reportId.age")

        /** Where [seal] writes the package before it has a report id to be named by. */
        private fun pendingFile(settings: FieldSettings, caseId: String) = File(settings.outbox, "pending-$caseId.age")

        private suspend fun read(store: FieldStore, settings: FieldSettings, dispatcher: CoroutineDispatcher, caseId: String): CaseState {
            val record = store.case(caseId)
            val reportId = record.reportId
            val handOver = when {
                record.status == CaseStatus.DRAFT || reportId == null -> HandOver.Draft
                record.status == CaseStatus.SEALED -> HandOver.Sealed(
                    reportId,
                    // A case seals once, and a pending file is only ever whole: it is this package.
                    withContext(dispatcher) {
                        listOf(outboxFile(settings, reportId), pendingFile(settings, caseId)).firstOrNull { it.exists() }
                    },
                )
                record.status == CaseStatus.HANDED_OVER -> HandOver.HandedOver(reportId)
                else -> HandOver.Acknowledged(reportId)
            }
            return CaseState(record, store.notes(caseId), store.attachments(caseId), handOver)
        }
    }
}
