// The SDK's checklist run (android/sdk, ChecklistRun.kt): its state flow shows the visible
// questions, what is required and missing, progress and the assessment as answers change; over a
// case, every answer is saved to the store first, in the JSON the session itself holds, so a
// reopened case restores to the same run; a refused answer changes neither.
package org.indicia.tests

import java.io.File
import java.util.Collections
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotEquals
import kotlin.test.assertTrue
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.async
import kotlinx.coroutines.flow.drop
import kotlinx.coroutines.flow.first
import kotlinx.coroutines.launch
import org.indicia.core.AnswerValue
import org.indicia.sdk.ChecklistRun
import org.indicia.sdk.FieldStore
import org.indicia.sdk.InvalidAnswerException
import org.indicia.sdk.InvalidStateException

private val childQuestions = listOf("child_unaccompanied", "child_unsuitable_work", "child_sexual_exploitation")

internal fun registerSdkChecklistTests() {
    suspendTest("a checklist run's flows show the visible questions, required items, progress and assessment as answers change") {
        ChecklistRun.builtin("first-contact", "en").use { run ->
            val start = run.state.value
            assertEquals(listOf("age_group"), start.missingRequired)
            assertFalse(start.progress.complete)
            assertEquals(0, start.assessment.outcome.level.toInt())
            assertTrue(start.questions.first { it.id == "age_group" }.required)
            // A collector of the visible questions sees the child section once "child" is answered.
            val childSection = async(start = CoroutineStart.UNDISPATCHED) {
                run.visibleQuestions.first { questions -> questions.any { it.id == "child_unaccompanied" } }
            }
            run.answer("age_group", AnswerValue.Choice("child"))
            assertTrue(childSection.await().map { it.id }.containsAll(childQuestions))
            run.answer("age_group", AnswerValue.Choice("adult"))
            val adult = run.state.value
            assertTrue(adult.questions.none { it.id in childQuestions })
            assertEquals(emptyList(), adult.missingRequired)
            assertTrue(adult.progress.complete)
            assertEquals("\"adult\"", adult.questions.first { it.id == "age_group" }.answer)
            val referred = async(start = CoroutineStart.UNDISPATCHED) { run.assessment.first { it.outcome.level.toInt() == 3 } }
            for (sign in listOf("long_hours", "low_or_no_pay", "documents_held", "debt", "deceived_about_job", "recruitment_debt_documents")) {
                run.answer(sign, AnswerValue.YesNo("yes"))
            }
            val assessment = referred.await()
            assertEquals("refer", assessment.outcome.id)
            assertTrue(assessment.outcome.actions.isNotEmpty())
            assertTrue(assessment.outcome.referrals.isNotEmpty())
            for (fired in assessment.fired) {
                assertTrue(assessment.explanation.any { it.contains(fired.label) }, "the explanation names ${fired.id}")
            }
            assertEquals(7u, run.state.value.progress.answered)
            run.clear("debt")
            assertTrue(run.state.value.assessment.outcome.level.toInt() < 3)
        }
    }

    suspendTest("answers of every kind are saved in the JSON the checklist session holds") {
        val minimal = File("tests/vectors/checklist-v1/valid/minimal.json").readText()
        val answers = listOf(
            "age" to AnswerValue.Number(42.5),
            "arrival_date" to AnswerValue.Date("2025-03-01"),
            "documents_taken" to AnswerValue.YesNo("yes"),
            "false_promises" to AnswerValue.Choices(listOf("job", "wage")),
            "hours_per_day" to AnswerValue.Number(14.0),
            "notes" to AnswerValue.Text("\"Pas\" má šéf\\vedúci;\nriadok 2\t\u0001 — 🙂"),
        )
        FieldStore.createInMemory("839201", HmacDeviceSecret(1), fastTestKdf).use { store ->
            ChecklistRun.fromJson(minimal, "en").use { run ->
                val case = store.createCase("every kind")
                for ((question, value) in answers) {
                    run.answer(question, value)
                    store.saveAnswer(case, question, value)
                }
                assertEquals(run.answersJson(), store.answersJson(case))
            }
        }
    }

    suspendTest("a case's checklist run saves each answer, and the reopened case restores the same run") {
        val file = File(tempDir("indicia-sdk-checklist"), "field.db")
        val device = HmacDeviceSecret(1)
        val case: String
        val saved: String
        FieldStore.create(file, "839201", device, fastTestKdf).use { store ->
            case = store.createCase("Harbour", "first-contact", "sk")
            store.openChecklist(case).use { run ->
                assertEquals("Prvý kontakt: znaky možného obchodovania s ľuďmi", run.info.title)
                assertTrue(run.state.value.questions.first().label.startsWith("Vyzerá"), "the case's language")
                run.answer("age_group", AnswerValue.Choice("adult"))
                run.answer("sector", AnswerValue.Choices(listOf("construction")))
                run.answer("worker_note", AnswerValue.Text("met at the \"bus\" station"))
                run.answer("debt", AnswerValue.YesNo("yes"))
                run.clear("debt")
                saved = run.answersJson()
                assertEquals(saved, store.answersJson(case))
                // A refused answer changes neither the run nor the case.
                assertFailsWith<InvalidAnswerException> { run.answer("debt", AnswerValue.YesNo("maybe")) }
                assertFailsWith<InvalidAnswerException> { run.answer("no_such_question", AnswerValue.YesNo("yes")) }
                assertEquals(saved, run.answersJson())
                assertEquals(saved, store.answersJson(case))
            }
        }
        FieldStore.open(file, device).use { store ->
            store.unlock("839201")
            store.openChecklist(case).use { run ->
                assertEquals(saved, run.answersJson())
                val events = store.custodyLog(case).map { it.event }
                assertEquals(4, events.count { it == "answer_saved" })
                assertEquals(1, events.count { it == "answer_cleared" })
            }
        }
    }

    suspendTest("a case's checklist run checks and evaluates each answer on the store's dispatcher, not the caller's thread") {
        val executor = Executors.newSingleThreadExecutor { Thread(it, "indicia-store-test") }
        try {
            FieldStore.createInMemory("839201", HmacDeviceSecret(1), fastTestKdf, dispatcher = executor.asCoroutineDispatcher()).use { store ->
                val case = store.createCase("t", "first-contact", "en")
                store.openChecklist(case).use { run ->
                    // An Unconfined collector runs on the thread that set the new state: the one
                    // that evaluated the checklist.
                    val evaluatedOn = Collections.synchronizedList(mutableListOf<String>())
                    val watcher = launch(Dispatchers.Unconfined) { run.state.drop(1).collect { evaluatedOn += Thread.currentThread().name } }
                    run.answer("age_group", AnswerValue.Choice("adult"))
                    run.clear("age_group")
                    watcher.cancel()
                    assertEquals(listOf("indicia-store-test", "indicia-store-test"), evaluatedOn.toList())
                    assertNotEquals("indicia-store-test", Thread.currentThread().name)
                }
            }
        } finally {
            executor.shutdown()
        }
    }

    suspendTest("an answer the store refuses leaves the run as it was") {
        FieldStore.createInMemory("839201", HmacDeviceSecret(1), fastTestKdf).use { store ->
            store.addUnit(unitCardFor(org.indicia.core.generateIdentity().recipient))
            val case = store.createCase("sealed", "first-contact", "en")
            store.openChecklist(case).use { run ->
                run.answer("age_group", AnswerValue.Choice("adult"))
                val before = run.state.value
                store.confirmSealed(case, store.seal(case, "sk.example-ngo").reportId)
                assertFailsWith<InvalidStateException> { run.answer("debt", AnswerValue.YesNo("yes")) }
                assertEquals(before, run.state.value)
                assertEquals("{\"age_group\":\"adult\"}", run.answersJson())
            }
        }
    }

    suspendTest("an answer cancelled after the store saved it leaves the run showing what the case holds") {
        val counter = GatedCounter()
        val file = File(tempDir("indicia-sdk-cancel"), "field.db")
        FieldStore.create(file, "839201", HmacDeviceSecret(1), fastTestKdf, counter).use { store ->
            val case = store.createCase("t", "first-contact", "en")
            store.openChecklist(case).use { run ->
                val gate = CountDownLatch(1)
                counter.gate = gate
                val job = launch(Dispatchers.Default) { run.answer("age_group", AnswerValue.Choice("adult")) }
                awaitGate(counter.entered) // committed, the store call not yet returned
                job.cancel()
                gate.countDown()
                job.join()
                assertEquals("{\"age_group\":\"adult\"}", store.answersJson(case))
                assertEquals(store.answersJson(case), run.answersJson())
                assertEquals(emptyList(), run.state.value.missingRequired)
            }
        }
    }

    suspendTest("a closed checklist run refuses calls and keeps its last state readable") {
        val run = ChecklistRun.builtin("first-contact", "en")
        run.answer("age_group", AnswerValue.Choice("adult"))
        val last = run.state.value
        run.close()
        assertFailsWith<IllegalStateException> { run.answer("debt", AnswerValue.YesNo("yes")) }
        assertFailsWith<IllegalStateException> { run.setCountry("SK") }
        assertEquals(last, run.state.value)
        run.close() // twice is harmless
    }

    suspendTest("choices out of order, negative zero, inexact numbers and odd white space are saved as the session holds them") {
        val minimal = File("tests/vectors/checklist-v1/valid/minimal.json").readText()
        FieldStore.createInMemory("839201", HmacDeviceSecret(1), fastTestKdf).use { store ->
            ChecklistRun.fromJson(minimal, "en").use { run ->
                val case = store.createCase("odd values")
                for ((question, value) in listOf(
                    "false_promises" to AnswerValue.Choices(listOf("wage", "job")),
                    "age" to AnswerValue.Number(-0.0),
                    "hours_per_day" to AnswerValue.Number(0.1 + 0.2),
                    "notes" to AnswerValue.Text("  spaced \u2028 line \u007f "),
                )) {
                    run.answer(question, value)
                    store.saveAnswer(case, question, value)
                }
                assertEquals(run.answersJson(), store.answersJson(case))
            }
        }
    }
}
