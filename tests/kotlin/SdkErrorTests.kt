// The SDK's exceptions (android/sdk, IndiciaException.kt): every error kind of the core's list
// arrives in Kotlin as its own SDK class, and real failures of the core arrive as theirs.
package org.indicia.tests

import java.io.File
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertNull
import kotlin.test.assertSame
import kotlin.test.assertTrue
import org.indicia.core.AnswerValue
import org.indicia.sdk.BadSignatureException
import org.indicia.sdk.ChecklistRun
import org.indicia.sdk.DeviceSecretRequiredException
import org.indicia.sdk.FieldStore
import org.indicia.sdk.InvalidAnswerException
import org.indicia.sdk.InvalidArgumentException
import org.indicia.sdk.InvalidChecklistException
import org.indicia.sdk.InvalidStateException
import org.indicia.sdk.NoStoreException
import org.indicia.sdk.NotFoundException
import org.indicia.sdk.StoreAccessException
import org.indicia.sdk.StoreLockedException
import org.indicia.sdk.StoreWipedException
import org.indicia.sdk.UnknownChecklistException
import org.indicia.sdk.UnsupportedInputException
import org.indicia.sdk.WeakPinException
import org.indicia.sdk.WrongPinException
import org.indicia.sdk.toSdk
import org.indicia.core.IndiciaException as CoreException

/** The kinds in the core's one list (core/src/error.rs, `with_error_kinds!`), read from the source. */
private fun coreErrorKinds(): List<String> {
    val source = File("core/src/error.rs").readText()
    val list = source.substringAfter("macro_rules! with_error_kinds").substringBefore("macro_rules!")
    return Regex("""^\s+([A-Z][A-Za-z]+) = \d+,$""", RegexOption.MULTILINE).findAll(list).map { it.groupValues[1] }.toList()
}

internal fun registerSdkErrorTests() {
    test("every error kind of the core reaches Kotlin as its own SDK exception class, message and cause kept") {
        val kinds = coreErrorKinds()
        assertTrue(kinds.size >= 25, "read the kinds from core/src/error.rs: $kinds")
        val generated = CoreException::class.java.declaredClasses
            .filter { CoreException::class.java.isAssignableFrom(it) }
            .associateBy { it.simpleName }
        assertEquals(kinds.toSet(), generated.keys, "the generated binding has one class per kind")
        val seen = mutableSetOf<Class<*>>()
        for (kind in kinds) {
            val original = generated.getValue(kind).getConstructor(String::class.java).newInstance("what happened") as CoreException
            val mapped = original.toSdk()
            assertEquals(kind, mapped.kind)
            assertEquals("${kind}Exception", mapped::class.java.simpleName)
            assertEquals("what happened", mapped.message)
            assertSame(original, mapped.cause)
            assertTrue(seen.add(mapped::class.java), "$kind has a class of its own")
        }
    }

    suspendTest("store failures arrive as their SDK types; a wrong PIN says how many attempts are left") {
        assertFailsWith<WeakPinException> { FieldStore.createInMemory("1234", null, fastTestKdf) }
        assertFailsWith<WeakPinException> { FieldStore.createInMemory("12345", HmacDeviceSecret(1), fastTestKdf) }
        val file = File(tempDir("indicia-sdk-errors"), "field.db")
        FieldStore.create(file, "839201", HmacDeviceSecret(1), fastTestKdf).use { store ->
            store.setWipeAfter(3)
            store.lock()
            assertFailsWith<StoreLockedException> { store.createCase("locked") }
            val wrong = assertFailsWith<WrongPinException> { store.unlock("000000") }
            assertEquals(2, wrong.attemptsLeft)
            assertFalse(wrong.message!!.contains("000000"))
            assertEquals(1, store.failedUnlocks())
            assertEquals(1, assertFailsWith<WrongPinException> { store.unlock("000001") }.attemptsLeft)
            assertEquals(2, store.failedUnlocks())
            store.unlock("839201")
            assertEquals(0, store.failedUnlocks())
            store.setWipeAfter(null)
            store.lock()
            assertNull(assertFailsWith<WrongPinException> { store.unlock("000000") }.attemptsLeft)
        }
        FieldStore.open(file, null).use { withoutDevice ->
            assertFailsWith<DeviceSecretRequiredException> { withoutDevice.unlock("839201") }
        }
        FieldStore.open(file, HmacDeviceSecret(1)).use { store ->
            store.unlock("839201")
            store.setWipeAfter(1)
            store.lock()
            // The last allowed wrong PIN wipes; the exception is also a StoreAccessException.
            val wiped: StoreAccessException = assertFailsWith<StoreWipedException> { store.unlock("000000") }
            assertEquals("StoreWiped", wiped.kind)
        }
        assertFailsWith<NoStoreException> { FieldStore.open(file, HmacDeviceSecret(1)) }
    }

    suspendTest("case, card and checklist failures arrive as their SDK types") {
        FieldStore.createInMemory("839201", HmacDeviceSecret(1), fastTestKdf).use { store ->
            assertFailsWith<NotFoundException> { store.case("0".repeat(32)) }
            assertFailsWith<UnknownChecklistException> { store.createCase("t", "no-such-checklist") }
            assertFailsWith<InvalidArgumentException> { store.createCase("t", "first-contact", "xx") }
            val case = store.createCase("t")
            assertFailsWith<InvalidStateException> { store.seal(case, "sk.example-ngo") }
            assertFailsWith<InvalidStateException> { store.openChecklist(case) }
            val cards = File("tests/vectors/unit-card-v2")
            assertFailsWith<BadSignatureException> { store.addUnit(File(cards, "reject/altered-name.json").readText()) }
            assertFailsWith<UnsupportedInputException> { store.addUnit(File(cards, "reject/unsigned-v1.json").readText()) }
            assertEquals(emptyList(), store.units())
        }
        assertFailsWith<UnknownChecklistException> { ChecklistRun.builtin("no-such-checklist", "en") }
        assertFailsWith<InvalidChecklistException> { ChecklistRun.fromJson("{}", "en") }
        ChecklistRun.builtin("first-contact", "en").use { run ->
            assertFailsWith<InvalidAnswerException> { run.answer("debt", AnswerValue.Number(1.0)) }
        }
    }

    suspendTest("a number answer that is not finite is refused by the store call as an InvalidAnswerException") {
        FieldStore.createInMemory("839201", HmacDeviceSecret(1), fastTestKdf).use { store ->
            val case = store.createCase("t", "first-contact", "en")
            for (n in listOf(Double.NaN, Double.POSITIVE_INFINITY)) {
                assertFailsWith<InvalidAnswerException> { store.saveAnswer(case, "debt", AnswerValue.Number(n)) }
            }
            assertEquals("{}", store.answersJson(case))
        }
    }

    suspendTest("a closed store handle refuses every call") {
        val store = FieldStore.createInMemory("839201", HmacDeviceSecret(1), fastTestKdf)
        store.createCase("t")
        store.close()
        assertEquals(emptyList(), store.cases.value)
        assertFalse(store.unlocked.value)
        assertFailsWith<IllegalStateException> { store.createCase("after close") }
        assertFailsWith<IllegalStateException> { store.unlock("839201") }
        store.close() // twice is harmless
    }
}
