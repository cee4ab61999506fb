// Kotlin/JVM tests of the checklist engine through the uniffi bindings, as the field app uses it:
// the first-contact checklist answered with AnswerValue, its skip logic, errors, languages and
// saved drafts. Registered with the runner in Runner.kt.
package org.indicia.tests

import java.io.File
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNotEquals
import kotlin.test.assertTrue
import org.indicia.core.AnswerValue
import org.indicia.core.ChecklistSession
import org.indicia.core.IndiciaException
import org.indicia.core.builtinChecklists
import org.indicia.core.model.Mode
import org.indicia.core.validateChecklist

private val childQuestions = listOf("child_unaccompanied", "child_unsuitable_work", "child_sexual_exploitation")

/** Adult answers meeting the Delphi rule: E (hours + pay), C (documents + debt), R (deception + fees). */
private val adultSigns = mapOf(
    "long_hours" to "E.excessive_hours",
    "low_or_no_pay" to "E.low_or_no_pay",
    "documents_held" to "C.documents_held",
    "debt" to "C.debt_bondage",
    "deceived_about_job" to "R.deceived_job",
    "recruitment_debt_documents" to "R.recruitment_debt_documents",
)

private fun firstContact(language: String = "en") = ChecklistSession.fromBuiltin("first-contact", language)

private fun ChecklistSession.yes(vararg ids: String) = ids.forEach { answer(it, AnswerValue.YesNo("yes")) }

private fun adultReferral(language: String = "en") = firstContact(language).apply {
    answer("age_group", AnswerValue.Choice("adult"))
    answer("sector", AnswerValue.Choices(listOf("construction", "agriculture")))
    answer("injuries", AnswerValue.YesNo("no"))
    answer("threats", AnswerValue.YesNo("unknown"))
    answer("worker_note", AnswerValue.Text("Met at the bus station; a man answered for him."))
    yes(*adultSigns.keys.toTypedArray())
}

private fun ChecklistSession.visibleIds() = visibleQuestions().map { it.id }
private fun ChecklistSession.firedIds() = assessment().fired.map { it.id }.sorted()

internal fun registerChecklistTests() {
    test("the built-in checklists include first-contact in nine languages") {
        assertTrue("first-contact" in builtinChecklists())
        val info = firstContact().info()
        assertEquals(listOf("en", "sk", "bg", "es", "ca", "el", "pl", "it", "uk"), info.languages)
        assertTrue(info.hash.matches(Regex("sha256:[0-9a-f]{64}")))
        assertFailsWith<IndiciaException.UnknownChecklist> { ChecklistSession.fromBuiltin("nope", "en") }
    }

    test("first-contact answered with AnswerValue reaches level 3, explained by its indicators") {
        val session = adultReferral()
        val a = session.assessment()
        assertEquals("refer", a.outcome.id)
        assertEquals(3, a.outcome.level.toInt())
        assertEquals("Indicators of possible trafficking — refer", a.outcome.label)
        assertTrue(a.rule.met)
        assertEquals("adult", a.rule.variant)
        assertEquals(adultSigns.values.sorted(), session.firedIds())
        assertEquals(listOf("R" to true, "E" to true, "C" to true, "V" to false), a.dimensions.map { it.id to it.met })
        for (fired in a.fired) {
            assertTrue(a.explanation.any { it.contains(fired.label) }, "explanation names ${fired.id}")
        }
        assertTrue(a.outcome.actions.isNotEmpty())
        assertEquals(a.checklist.hash, session.info().hash)
        val progress = session.progress()
        assertEquals(11u, progress.answered)
        assertTrue(progress.complete)
    }

    test("fewer signs give lower levels") {
        val session = firstContact()
        assertEquals(0, session.assessment().outcome.level.toInt())
        assertEquals(listOf("age_group"), session.missingRequired())
        session.answer("age_group", AnswerValue.Choice("adult"))
        assertEquals(emptyList(), session.missingRequired())
        session.yes("documents_held")
        assertEquals("stay_alert" to 1, session.assessment().let { it.outcome.id to it.outcome.level.toInt() })
        session.yes("debt")
        assertEquals("seek_advice" to 2, session.assessment().let { it.outcome.id to it.outcome.level.toInt() })
        session.clear("debt")
        assertEquals(1, session.assessment().outcome.level.toInt())
    }

    test("a decisive sign alone gives level 3, and the explanation names it") {
        val session = firstContact()
        session.answer("age_group", AnswerValue.Choice("child"))
        session.yes("child_sexual_exploitation")
        val assessment = session.assessment()
        assertEquals("refer_decisive" to 3, assessment.outcome.id to assessment.outcome.level.toInt())
        assertTrue(assessment.explanation.any { it.startsWith("Decisive sign: ") && it.contains(assessment.fired.single().label) })
    }

    test("skip logic: the child section shows only for child or unsure, and hidden answers do not count") {
        val session = firstContact()
        session.answer("age_group", AnswerValue.Choice("adult"))
        val adultIds = session.visibleIds()
        assertTrue(childQuestions.none { it in adultIds })
        assertEquals(Mode.OBSERVED, session.visibleQuestions().first { it.id == "age_group" }.mode)
        assertEquals(Mode.ASKED, session.visibleQuestions().first { it.id == "debt" }.mode)

        session.answer("age_group", AnswerValue.Choice("child"))
        assertEquals(listOf("age_group", "sector") + childQuestions, session.visibleIds().take(5))
        session.yes("child_sexual_exploitation", "bad_conditions", "child_unaccompanied", "unfamiliar_area", "afraid_of_authorities")
        assertEquals("child", session.assessment().rule.variant)
        assertEquals(3, session.assessment().outcome.level.toInt())

        session.answer("age_group", AnswerValue.Choice("adult"))
        assertEquals(listOf("E.bad_conditions", "V.fear_authorities", "V.unfamiliar_area"), session.firedIds())
        assertEquals(1, session.assessment().outcome.level.toInt())
        assertTrue(session.answersJson().contains("\"child_sexual_exploitation\":\"yes\""), "kept while hidden")

        session.answer("age_group", AnswerValue.Choice("unsure"))
        assertEquals(3, session.assessment().outcome.level.toInt())
        assertTrue(session.visibleIds().containsAll(childQuestions))
    }

    test("invalid answers are IndiciaException.InvalidAnswer and change nothing") {
        val session = adultReferral()
        val saved = session.answersJson()
        val unknown = assertFailsWith<IndiciaException.InvalidAnswer> {
            session.answer("no_such_question", AnswerValue.YesNo("yes"))
        }
        assertTrue(unknown.message!!.contains("no_such_question"))
        assertFailsWith<IndiciaException.InvalidAnswer> { session.answer("debt", AnswerValue.Number(1.0)) }
        assertFailsWith<IndiciaException.InvalidAnswer> { session.answer("debt", AnswerValue.YesNo("maybe")) }
        assertFailsWith<IndiciaException.InvalidAnswer> { session.answer("sector", AnswerValue.Choice("agriculture")) }
        assertFailsWith<IndiciaException.InvalidAnswer> { session.answer("age_group", AnswerValue.Choice("teenager")) }
        assertFailsWith<IndiciaException.InvalidAnswer> { session.answer("sector", AnswerValue.Choices(listOf("mining"))) }
        assertFailsWith<IndiciaException.InvalidAnswer> { session.clear("no_such_question") }
        assertEquals(saved, session.answersJson())
    }

    test("Slovak labels come from the checklist's Slovak texts") {
        val en = adultReferral("en")
        val sk = adultReferral("sk")
        assertEquals("Prvý kontakt: znaky možného obchodovania s ľuďmi", sk.info().title)
        val skAge = sk.visibleQuestions().first()
        assertEquals("Vyzerá osoba na menej ako 18 rokov?", skAge.label)
        assertEquals("Nie, vyzerá na 18 rokov alebo viac", skAge.choices.first { it.id == "adult" }.label)
        en.visibleQuestions().zip(sk.visibleQuestions()).forEach { (e, s) ->
            assertEquals(e.id, s.id)
            assertNotEquals(e.label, s.label, "label of ${e.id}")
        }
        val a = sk.assessment()
        assertEquals("sk", a.language)
        assertEquals("refer", a.outcome.id)
        assertEquals("Indikátory možného obchodovania s ľuďmi — postúpte prípad", a.outcome.label)
        assertTrue(a.explanation.any { it.contains("Doklady má niekto iný") })
        assertEquals("Prvý kontakt: znaky možného obchodovania s ľuďmi", firstContact("sk-SK").info().title)
    }

    test("answersJson and restoreAnswers round trip to the same assessment") {
        val original = adultReferral()
        original.yes("child_unaccompanied") // hidden for an adult, but saved
        val saved = original.answersJson()
        val restored = firstContact()
        restored.restoreAnswers(saved)
        assertEquals(original.assessment(), restored.assessment())
        assertEquals(original.visibleQuestions(), restored.visibleQuestions())
        assertEquals(saved, restored.answersJson())

        val slovak = firstContact("sk")
        slovak.restoreAnswers(saved)
        assertEquals(original.firedIds(), slovak.firedIds())

        assertFailsWith<IndiciaException.InvalidAnswer> { restored.restoreAnswers("{\"debt\": \"maybe\"}") }
        assertFailsWith<IndiciaException.InvalidAnswer> { restored.restoreAnswers("not json") }
        assertEquals(saved, restored.answersJson())
    }

    test("a broken checklist is IndiciaException.InvalidChecklist naming the JSON path") {
        // scripts/test runs this from the repository root.
        val json = File("core/checklists/first-contact.json").readText()
        assertEquals(firstContact().info().hash, validateChecklist(json, "en").hash)
        val broken = json.replaceFirst("\"strength\": \"medium\"", "\"strength\": \"huge\"")
        assertNotEquals(json, broken)
        val e = assertFailsWith<IndiciaException.InvalidChecklist> { validateChecklist(broken, "en") }
        assertTrue(e.message!!.contains("\$.indicators[1].strength"), e.message)
        assertFailsWith<IndiciaException.InvalidChecklist> { ChecklistSession.fromJson(broken, "en") }
    }
}
