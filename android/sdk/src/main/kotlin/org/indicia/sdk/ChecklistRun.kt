// A checklist being answered, as a screen observes it: one StateFlow of the visible questions,
// what is required and missing, progress and the assessment, recomputed by the core after each
// answer. For a case, each answer is saved to the store before the state moves on.
package org.indicia.sdk

import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import kotlinx.coroutines.flow.distinctUntilChanged
import kotlinx.coroutines.flow.map
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock
import kotlinx.coroutines.withContext
import org.indicia.core.AnswerValue
import org.indicia.core.ChecklistSession
import org.indicia.core.model.Assessment
import org.indicia.core.model.ChecklistInfo
import org.indicia.core.model.Progress
import org.indicia.core.model.QuestionView

/** What a checklist screen shows, all from one evaluation of the current answers. */
data class ChecklistState(
    /** The questions the skip logic shows now, in order, each with its answer (JSON) if any. */
    val questions: List<QuestionView>,
    /** Ids of visible required questions without an answer. */
    val missingRequired: List<String>,
    /** Answered, visible and missing-required counts; complete when nothing required is missing. */
    val progress: Progress,
    /** Indicators fired, the rule's result, the outcome (level, label, actions, referrals) and the explanation. */
    val assessment: Assessment,
)

/**
 * A run of one checklist in one language. Standalone ([builtin], [fromJson]: nothing is saved) or
 * over a case ([FieldStore.openChecklist]: each answer is saved to the case first). Close it when
 * the screen goes; later calls throw IllegalStateException.
 *
 * Threading: [answer] and [clear] check the answer and evaluate the checklist again (visible
 * questions, assessment: a few milliseconds on a phone) on [dispatcher], never on the caller's
 * thread: the store's dispatcher for a case's run, [Dispatchers.Default] for a standalone one;
 * saving to a case runs on the store's dispatcher. [setCountry] and [answersJson] are quick and
 * run on the caller's thread. [state] may be collected from any thread.
 */
class ChecklistRun private constructor(
    private val session: ChecklistSession,
    private val dispatcher: CoroutineDispatcher,
    private val save: (suspend (questionId: String, value: AnswerValue?) -> Unit)?,
) : AutoCloseable {
    private val mutex = Mutex()
    private val stateFlow = MutableStateFlow(evaluate())

    /** The checklist (id, version, hash, title in the run's language, languages, review status). */
    val info: ChecklistInfo = session.info()

    /** Everything the screen shows; a new value after each answer, clear or country change. */
    val state: StateFlow<ChecklistState> = stateFlow.asStateFlow()

    /** The visible questions, emitted when they change. */
    val visibleQuestions: Flow<List<QuestionView>> = state.map { it.questions }.distinctUntilChanged()

    /** The assessment, emitted when it changes. */
    val assessment: Flow<Assessment> = state.map { it.assessment }.distinctUntilChanged()

    private fun evaluate() = ChecklistState(
        session.visibleQuestions(),
        session.missingRequired(),
        session.progress(),
        session.assessment(),
    )

    /**
     * Records [value] for [questionId] (and saves it to the case, if any). Nothing changes if
     * it is refused; once begun, the save is not undone by cancelling the caller.
     * @throws InvalidAnswerException when the answer does not fit the question or there is no such question
     * @throws InvalidStateException when the case is sealed
     * @throws StoreLockedException when the store was locked meanwhile
     */
    suspend fun answer(questionId: String, value: AnswerValue) = edit(questionId, value) {
        session.answer(questionId, value)
    }

    /**
     * Removes the answer to [questionId] (and from the case).
     * @throws InvalidAnswerException for an unknown question
     * @throws InvalidStateException when the case is sealed
     */
    suspend fun clear(questionId: String) = edit(questionId, null) { session.clear(questionId) }

    private suspend fun edit(questionId: String, value: AnswerValue?, apply: () -> Unit) = mutex.withLock {
        withContext(dispatcher) {
            val before = core { session.answersJson() }
            core(apply)
            try {
                // Not cancellable: a cancellation arriving after the store saved would otherwise
                // undo the answer here only, and the run would no longer show what the case holds.
                if (save != null) withContext(NonCancellable) { save.invoke(questionId, value) }
            } catch (e: Throwable) {
                core { session.restoreAnswers(before) }
                throw e
            }
            stateFlow.value = evaluate()
        }
    }

    /** Limits the assessment's referrals to [country] (ISO 3166-1 alpha-2), or lists all with null. Caller's thread. */
    fun setCountry(country: String?) {
        session.setCountry(country)
        stateFlow.value = evaluate()
    }

    /** All answers, hidden ones too, as a JSON object (what a case keeps). Caller's thread. */
    fun answersJson(): String = session.answersJson()

    /** Frees the session (the case's answers stay in the store); later calls throw IllegalStateException. */
    override fun close() = session.close()

    companion object {
        /**
         * A built-in checklist ([org.indicia.core.builtinChecklists]) in [language], nothing saved.
         * @throws UnknownChecklistException
         */
        fun builtin(id: String, language: String): ChecklistRun =
            ChecklistRun(core { ChecklistSession.fromBuiltin(id, language) }, Dispatchers.Default, null)

        /**
         * A checklist from its JSON definition, nothing saved.
         * @throws InvalidChecklistException with every mistake and its JSON path
         */
        fun fromJson(json: String, language: String): ChecklistRun =
            ChecklistRun(core { ChecklistSession.fromJson(json, language) }, Dispatchers.Default, null)

        internal fun restore(
            id: String,
            language: String,
            answersJson: String,
            dispatcher: CoroutineDispatcher,
            save: suspend (String, AnswerValue?) -> Unit,
        ): ChecklistRun {
            val session = core { ChecklistSession.fromBuiltin(id, language) }
            try {
                core { session.restoreAnswers(answersJson) }
            } catch (e: IndiciaException) {
                session.close()
                throw e
            }
            return ChecklistRun(session, dispatcher, save)
        }
    }
}
