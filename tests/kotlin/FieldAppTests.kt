// The field app's behaviour (android/app/src/main/kotlin: the state holders the Compose screens
// render) driven on the JVM against the real core, with the receiving unit driven through the
// `indicia` CLI: set-up with the unit's card and fingerprint, a case answered on the checklist
// with notes and a photo, auto-lock and the lock screen, sealing into the outbox, the unit
// ingesting the package and answering with a receipt, the case acknowledged and deleted; wipe
// after too many wrong PINs; quick delete.
package org.indicia.tests

import java.io.File
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import kotlin.test.assertContains
import kotlin.test.assertEquals
import kotlin.test.assertFailsWith
import kotlin.test.assertFalse
import kotlin.test.assertIs
import kotlin.test.assertNotEquals
import kotlin.test.assertNotNull
import kotlin.test.assertNull
import kotlin.test.assertTrue
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import org.indicia.core.AnswerValue
import org.indicia.core.model.CaseStatus
import org.indicia.core.model.ReceiptStatus
import org.indicia.field.CaseModel
import org.indicia.field.FieldApp
import org.indicia.field.FieldSettings
import org.indicia.field.HandOver
import org.indicia.field.ReceiptResult
import org.indicia.field.Screen
import org.indicia.field.SetUpProblem
import org.indicia.field.SetUpStep
import org.indicia.sdk.BadSignatureException
import org.indicia.sdk.DeviceSecret
import org.indicia.sdk.CorruptInputException
import org.indicia.sdk.FieldStore
import org.indicia.sdk.InvalidAnswerException
import org.indicia.sdk.InvalidArgumentException
import org.indicia.sdk.StoreAccessException
import org.indicia.sdk.StoreFailureException
import org.indicia.sdk.NoStoreException
import org.indicia.sdk.StoreWipedException
import org.indicia.sdk.WeakPinException
import org.indicia.sdk.WrongPinException

private const val ORG = "sk.example-ngo"
private const val PIN = "839201"

private inline fun <reified T : Screen> FieldApp.on(): T = assertIs<T>(screen.value, "the screen shown")

private fun settingsIn(dir: File, wipeAfter: Int = 5) = FieldSettings(
    storeFile = File(dir, "store/field.db"),
    outbox = File(dir, "outbox"),
    organisation = ORG,
    language = "en",
    wipeAfter = wipeAfter,
    kdf = fastTestKdf,
)

/** A fresh app set up with [unit]'s card: on the case list, unlocked. */
private suspend fun CoroutineScope.setUpApp(
    dir: File,
    unit: CliUnit,
    wipeAfter: Int = 5,
    device: DeviceSecret = HmacDeviceSecret(7),
    onErase: () -> Unit = {},
): FieldApp {
    val app = FieldApp(settingsIn(dir, wipeAfter), device, this, eraseDeviceKey = onErase)
    app.start()
    val setUp = app.on<Screen.SetUp>().model
    setUp.choosePin(PIN, PIN)
    setUp.addUnitCard(unit.cardJson)
    setUp.compareFingerprint(matches = true)
    app.on<Screen.Cases>()
    return app
}

/** Every file under [dir], read as bytes. */
private fun allBytes(dir: File): List<Pair<File, String>> =
    dir.walkTopDown().filter { it.isFile }.map { it to String(it.readBytes(), Charsets.ISO_8859_1) }.toList()

internal fun registerFieldAppTests() {
    suspendTest("the whole field flow: set-up, a case answered, auto-lock, sealed, ingested by the CLI unit, receipt, deleted") {
        val dir = tempDir("indicia-field-app")
        val unit = CliUnit(tempDir("indicia-field-unit"), "National THB unit")
        val marker = "FIELDAPP${System.nanoTime()}"
        val app = FieldApp(settingsIn(dir), HmacDeviceSecret(7), this)

        // Set-up: a PIN (the core's policy with a device secret: at least 6), the unit's card, its fingerprint.
        app.start()
        val setUp = app.on<Screen.SetUp>().model
        setUp.choosePin("12345", "12345")
        assertIs<WeakPinException>(assertIs<SetUpProblem.Refused>(setUp.state.value.problem).error)
        setUp.choosePin(PIN, "839210")
        assertEquals(SetUpProblem.PinsDiffer, setUp.state.value.problem)
        setUp.choosePin(PIN, PIN)
        assertEquals(SetUpStep.AddUnit, setUp.state.value.step)
        val altered = unit.cardJson.replace("National THB unit", "National THB unlt")
        setUp.addUnitCard(altered)
        assertIs<BadSignatureException>(assertIs<SetUpProblem.Refused>(setUp.state.value.problem).error)
        setUp.addUnitCard(unit.cardJson)
        assertEquals(SetUpStep.CompareFingerprint, setUp.state.value.step)
        assertEquals(unit.fingerprint, setUp.state.value.unit!!.fingerprint, "the device shows the fingerprint the unit reads out")
        setUp.compareFingerprint(matches = false)
        assertEquals(SetUpProblem.FingerprintRejected, setUp.state.value.problem)
        setUp.addUnitCard(unit.cardJson)
        setUp.compareFingerprint(matches = true)
        val cases = app.on<Screen.Cases>().model
        assertEquals(emptyList(), cases.cases.value)

        // A new case on the first-contact checklist, answered (an over-long title is refused on the list).
        cases.newCase("x".repeat(501))
        assertIs<InvalidArgumentException>(cases.error.value)
        app.on<Screen.Cases>()
        cases.newCase("Harbour $marker")
        var case = app.on<Screen.Case>().model
        val checklist = assertNotNull(case.checklist)
        assertEquals(listOf("age_group"), checklist.state.value.missingRequired)
        case.answer("age_group", AnswerValue.Choice("adult"))
        assertTrue(checklist.state.value.questions.none { it.id == "child_unaccompanied" })
        assertTrue(checklist.state.value.progress.complete)
        for (sign in listOf("long_hours", "low_or_no_pay", "documents_held", "debt", "deceived_about_job", "recruitment_debt_documents")) {
            case.answer(sign, AnswerValue.YesNo("yes"))
        }
        case.answer("worker_note", AnswerValue.Text("note $marker"))
        case.answer("debt", AnswerValue.YesNo("maybe"))
        assertIs<InvalidAnswerException>(case.state.value.error)
        val assessment = checklist.state.value.assessment
        assertEquals("refer" to 3, assessment.outcome.id to assessment.outcome.level.toInt())
        assertTrue(assessment.explanation.isNotEmpty() && assessment.outcome.actions.isNotEmpty())
        assertTrue(assessment.outcome.referrals.isNotEmpty())
        case.addNote("came with a supervisor $marker")
        val photo = ByteArray(50_000) { (it % 251).toByte() }
        case.addAttachment("photo.jpg", "image/jpeg", photo)
        assertEquals(1, case.state.value.notes.size)
        assertEquals(50_000uL, case.state.value.attachments.single().size)
        assertNull(case.state.value.error)
        assertEquals(HandOver.Draft, case.state.value.handOver)

        // The app goes to the background: the lock screen shows at once and the store locks.
        assertNotNull(app.onBackground()).join()
        val lock = app.on<Screen.Locked>().model
        // A tap that arrives after the lock ends quietly and changes nothing.
        case.addNote("after the lock")
        case.answer("threats", AnswerValue.YesNo("yes"))
        lock.submit("000000")
        assertIs<WrongPinException>(lock.state.value.error)
        assertEquals(1 to 4, lock.state.value.failedAttempts to lock.state.value.attemptsLeft)
        lock.submit(PIN)
        val unlocked = app.on<Screen.Cases>().model
        val summary = unlocked.cases.value.single()
        assertEquals("Harbour $marker", summary.title)

        // Seal into the outbox; nothing of the case is readable in the package or the store's files.
        unlocked.openCase(summary.id)
        case = app.on<Screen.Case>().model
        assertEquals(1, case.state.value.notes.size, "nothing was saved after the lock")
        assertFalse(case.checklist!!.answersJson().contains("threats"))
        assertContains(case.checklist!!.answersJson(), "\"age_group\":\"adult\"", message = "the answers came back")
        case.seal()
        val sealed = assertIs<HandOver.Sealed>(case.state.value.handOver)
        val packageFile = assertNotNull(sealed.file)
        assertFalse(case.state.value.editable)
        for ((file, bytes) in allBytes(dir)) assertFalse(bytes.contains(marker), "$file holds case text in the clear")

        // The unit trusts the device, ingests the package with the CLI and sends a receipt.
        unit.trustDevice(assertNotNull(app.deviceKey()).publicKey, ORG)
        assertContains(unit.ingest(packageFile), sealed.reportId)
        assertContains(unit.list(), sealed.reportId)
        case.handedOver()
        assertEquals(HandOver.HandedOver(sealed.reportId), case.state.value.handOver)
        assertFalse(case.delete(), "a handed-over case is kept until a receipt acknowledges it")
        app.closeCase()

        val list = app.on<Screen.Cases>().model
        list.importReceipt("not a receipt".toByteArray())
        assertIs<CorruptInputException>(assertIs<ReceiptResult.Refused>(list.receipt.value).error)
        list.importReceipt(unit.receipt(sealed.reportId, "investigating"))
        val imported = assertIs<ReceiptResult.Imported>(list.receipt.value).receipt
        assertEquals(ReceiptStatus.INVESTIGATING to CaseStatus.ACKNOWLEDGED, imported.status to imported.caseStatus)
        assertEquals("National THB unit", imported.unitName)
        assertTrue(list.cases.value.single().deletable)

        // Acknowledged: deleted with its package.
        list.openCase(summary.id)
        case = app.on<Screen.Case>().model
        assertEquals(HandOver.Acknowledged(sealed.reportId), case.state.value.handOver)
        assertTrue(case.delete())
        app.closeCase()
        assertEquals(emptyList(), app.on<Screen.Cases>().model.cases.value)
        assertFalse(packageFile.exists())
    }

    suspendTest("the app reopens locked, and too many wrong PINs erase the store and return to set-up") {
        val dir = tempDir("indicia-field-wipe")
        val unit = CliUnit(tempDir("indicia-field-unit"), "Unit")
        val first = setUpApp(dir, unit, wipeAfter = 3)
        first.on<Screen.Cases>().model.newCase("to be wiped")
        first.close()
        // A new process: the app finds the store and shows the lock screen.
        val app = FieldApp(settingsIn(dir, wipeAfter = 3), HmacDeviceSecret(7), this)
        app.start()
        val lock = app.on<Screen.Locked>().model
        assertEquals(3, lock.state.value.attemptsLeft)
        lock.submit("000000")
        lock.submit("000001")
        assertEquals(1, lock.state.value.attemptsLeft)
        lock.submit("000002")
        app.on<Screen.SetUp>()
        assertTrue(app.wipedByWrongPins)
        assertIs<StoreWipedException>(lock.state.value.error)
        assertFailsWith<NoStoreException> { FieldStore.open(File(dir, "store/field.db"), HmacDeviceSecret(7)) }
    }

    suspendTest("quick delete erases the store, the outbox and the device key, locked or not") {
        val dir = tempDir("indicia-field-quick")
        val unit = CliUnit(tempDir("indicia-field-unit"), "Unit")
        var erased = 0
        val app = setUpApp(dir, unit, onErase = { erased++ })
        app.on<Screen.Cases>().model.newCase("to be deleted")
        val case: CaseModel = app.on<Screen.Case>().model
        case.seal()
        assertTrue(File(dir, "outbox").listFiles()!!.isNotEmpty())
        app.quickDelete()
        app.on<Screen.SetUp>()
        assertEquals(1, erased)
        assertEquals(emptyList(), allBytes(dir).map { it.first })
        // Started again: nothing to unlock, set-up.
        val again = FieldApp(settingsIn(dir), HmacDeviceSecret(7), this)
        again.start()
        again.on<Screen.SetUp>()

        // Locked (in the background) works the same.
        val locked = setUpApp(tempDir("indicia-field-quick-locked"), unit, onErase = { erased++ })
        assertNotNull(locked.onBackground()).join()
        locked.quickDelete()
        locked.on<Screen.SetUp>()
        assertEquals(2, erased)
    }

    suspendTest("a store that no longer opens shows the broken screen, erases nothing by itself, and quick delete erases it") {
        val dir = tempDir("indicia-field-broken")
        val first = setUpApp(dir, CliUnit(tempDir("indicia-field-unit"), "Unit"))
        first.on<Screen.Cases>().model.newCase("kept until erased")
        first.close()
        val storeDir = File(dir, "store")
        storeDir.listFiles()!!.filter { it.name != "field.db" }.forEach { it.delete() }
        File(storeDir, "field.db").writeBytes(ByteArray(8192) { (it * 31 % 251).toByte() })
        var erased = 0
        val app = FieldApp(settingsIn(dir), HmacDeviceSecret(7), this, eraseDeviceKey = { erased++ })
        app.start()
        assertIs<StoreAccessException>(app.on<Screen.Broken>().error)
        assertTrue(File(storeDir, "field.db").exists())
        app.quickDelete()
        app.on<Screen.SetUp>()
        assertEquals(emptyList(), allBytes(dir).map { it.first })
        assertEquals(1, erased)
    }

    suspendTest("set-up left before a unit card was added is locked in the background and resumes at the unit step after unlock") {
        val dir = tempDir("indicia-field-resume")
        val unit = CliUnit(tempDir("indicia-field-unit"), "Unit")
        val first = FieldApp(settingsIn(dir), HmacDeviceSecret(7), this)
        first.start()
        first.on<Screen.SetUp>().model.choosePin(PIN, PIN)
        // Backgrounded in the middle of set-up: locked like any other time.
        assertNotNull(first.onBackground()).join()
        first.on<Screen.Locked>().model.submit(PIN)
        assertEquals(SetUpStep.AddUnit, first.on<Screen.SetUp>().model.state.value.step)
        first.close()
        // Restarted: the lock screen, then the unit step.
        val app = FieldApp(settingsIn(dir), HmacDeviceSecret(7), this)
        app.start()
        app.on<Screen.Locked>().model.submit(PIN)
        val setUp = app.on<Screen.SetUp>().model
        assertEquals(SetUpStep.AddUnit, setUp.state.value.step)
        setUp.addUnitCard(unit.cardJson)
        setUp.compareFingerprint(matches = true)
        app.on<Screen.Cases>()
    }

    suspendTest("going to the background while an unlock is under way leaves the app locked") {
        val device = GatedDevice(7)
        val app = setUpApp(tempDir("indicia-field-bg-unlock"), CliUnit(tempDir("indicia-field-unit"), "Unit"), device = device)
        app.on<Screen.Cases>().model.newCase("kept")
        assertNotNull(app.onBackground()).join()
        val gate = CountDownLatch(1)
        device.gate = gate
        val submit = launch { app.on<Screen.Locked>().model.submit(PIN) }
        awaitGate(device.entered)
        val locking = app.onBackground() // Home pressed right after the Unlock tap
        gate.countDown()
        submit.join()
        assertNotNull(locking, "the store is locked again after that unlock").join()
        app.on<Screen.Locked>()
        // Back in the foreground: the PIN opens it as usual.
        app.on<Screen.Locked>().model.submit(PIN)
        assertEquals(1, app.on<Screen.Cases>().model.cases.value.size)
    }

    suspendTest("quick delete while an unlock is under way erases everything and ends on set-up, the unlock's tap quietly") {
        val device = GatedDevice(7)
        val dir = tempDir("indicia-field-quick-unlock")
        var erased = 0
        val app = setUpApp(dir, CliUnit(tempDir("indicia-field-unit"), "Unit"), device = device, onErase = { erased++ })
        assertNotNull(app.onBackground()).join()
        val gate = CountDownLatch(1)
        device.gate = gate
        var failure: Throwable? = null
        val submit = launch { runCatching { app.on<Screen.Locked>().model.submit(PIN) }.onFailure { failure = it } }
        awaitGate(device.entered)
        val deleting = launch { app.quickDelete() }
        delay(100) // quick delete waits for the unlock
        gate.countDown()
        submit.join()
        deleting.join()
        assertNull(failure, "the unlock's tap ends without an exception")
        app.on<Screen.SetUp>()
        assertEquals(1, erased)
        assertEquals(emptyList(), allBytes(dir).map { it.first })
    }

    suspendTest("quick delete removes the files and the Keystore key off the calling thread") {
        val caller = Thread.currentThread().name
        val executor = Executors.newSingleThreadExecutor { Thread(it, "field-store-worker") }
        try {
            var erasedOn: String? = null
            val app = FieldApp(settingsIn(tempDir("indicia-field-quick-thread")), HmacDeviceSecret(7), this,
                executor.asCoroutineDispatcher(), eraseDeviceKey = { erasedOn = Thread.currentThread().name })
            app.start()
            app.on<Screen.SetUp>().model.choosePin(PIN, PIN)
            app.quickDelete()
            assertEquals("field-store-worker", assertNotNull(erasedOn))
            assertNotEquals(caller, erasedOn)
        } finally {
            executor.shutdown()
        }
    }

    suspendTest("quick delete while a wrong PIN is being checked ends on set-up, the tap quietly") {
        val device = GatedDevice(7)
        val dir = tempDir("indicia-field-quick-wrong")
        val app = setUpApp(dir, CliUnit(tempDir("indicia-field-unit"), "Unit"), device = device)
        assertNotNull(app.onBackground()).join()
        val gate = CountDownLatch(1)
        device.gate = gate
        var failure: Throwable? = null
        val submit = launch { runCatching { app.on<Screen.Locked>().model.submit("000000") }.onFailure { failure = it } }
        awaitGate(device.entered)
        val deleting = launch { app.quickDelete() }
        delay(100) // quick delete waits for the unlock
        gate.countDown()
        submit.join()
        deleting.join()
        assertNull(failure, "the tap ends without an exception")
        app.on<Screen.SetUp>()
        assertEquals(emptyList(), allBytes(dir).map { it.first })
    }

    suspendTest("a second tap on Create while the store is being created changes nothing") {
        val device = GatedDevice(7)
        val app = FieldApp(settingsIn(tempDir("indicia-field-double-create")), device, this)
        app.start()
        val setUp = app.on<Screen.SetUp>().model
        val gate = CountDownLatch(1)
        device.gate = gate
        val first = launch { setUp.choosePin(PIN, PIN) }
        awaitGate(device.entered)
        val second = launch { setUp.choosePin(PIN, PIN) } // before the button shows disabled
        delay(300)
        gate.countDown()
        first.join()
        second.join()
        assertNull(setUp.state.value.problem, "no refusal: ${setUp.state.value.problem}")
        assertEquals(SetUpStep.AddUnit, setUp.state.value.step)
    }

    suspendTest("set-up makes the store with its wrong-PIN limit or not at all: a refused device key leaves no store, and set-up can try again") {
        val dir = tempDir("indicia-field-atomic")
        val device = KeyedDevice(7).apply { refusePrepare = true }
        val app = FieldApp(settingsIn(dir, wipeAfter = 4), device, this)
        app.start()
        val setUp = app.on<Screen.SetUp>().model
        setUp.choosePin(PIN, PIN)
        assertIs<StoreFailureException>(assertIs<SetUpProblem.Refused>(setUp.state.value.problem).error)
        assertEquals(SetUpStep.ChoosePin, setUp.state.value.step)
        assertEquals(emptyList(), allBytes(dir).map { it.first }, "nothing is left on disk")
        device.refusePrepare = false
        setUp.choosePin(PIN, PIN)
        assertEquals(SetUpStep.AddUnit, setUp.state.value.step, "the second try is not refused as 'a store exists'")
        assertEquals(1, device.keysMade)
        val store = assertNotNull(FieldStore.open(File(dir, "store/field.db"), device))
        assertEquals(4, store.attemptsLeft(), "the limit is in the store from its creation")
        store.close()
    }

    suspendTest("the device key is made once, at set-up; a key gone later makes unlock fail without counting a wrong PIN") {
        val dir = tempDir("indicia-field-key-gone")
        val device = KeyedDevice(7)
        val first = setUpApp(dir, CliUnit(tempDir("indicia-field-unit"), "Unit"), wipeAfter = 3, device = device)
        assertNotNull(first.onBackground()).join()
        first.on<Screen.Locked>().model.submit(PIN)
        first.on<Screen.Cases>()
        first.close()
        assertEquals(1, device.keysMade, "unlock and open never make a key")
        device.hasKey = false // the phone's secure storage was reset
        val app = FieldApp(settingsIn(dir, wipeAfter = 3), device, this)
        app.start()
        val lock = app.on<Screen.Locked>().model
        repeat(4) { lock.submit(PIN) }
        assertIs<StoreFailureException>(lock.state.value.error)
        assertEquals(0, lock.state.value.failedAttempts, "not one attempt counted: the store is not wiped")
        assertEquals(0, device.keysMade - 1, "no new key was made behind the worker's back")
        assertTrue(File(dir, "store/field.db").exists())
    }

    suspendTest("the lock screen counts down the store's own limit, whatever the settings say now, and nothing without a limit") {
        val dir = tempDir("indicia-field-own-limit")
        setUpApp(dir, CliUnit(tempDir("indicia-field-unit"), "Unit"), wipeAfter = 3).close()
        // An update changed the setting: the store keeps the limit it was made with.
        val app = FieldApp(settingsIn(dir, wipeAfter = 10), HmacDeviceSecret(7), this)
        app.start()
        val lock = app.on<Screen.Locked>().model
        assertEquals(3, lock.state.value.attemptsLeft)
        lock.submit("000000")
        assertEquals(1 to 2, lock.state.value.failedAttempts to lock.state.value.attemptsLeft)
        app.close()

        // A store with no limit: no countdown at all.
        val unlimited = File(tempDir("indicia-field-no-limit"), "field.db")
        FieldStore.create(unlimited, PIN, HmacDeviceSecret(7), fastTestKdf).close()
        val bare = FieldApp(settingsIn(unlimited.parentFile, wipeAfter = 5).copy(storeFile = unlimited), HmacDeviceSecret(7), this)
        bare.start()
        val noLimit = bare.on<Screen.Locked>().model
        assertNull(noLimit.state.value.attemptsLeft)
        noLimit.submit("000000")
        assertIs<WrongPinException>(noLimit.state.value.error)
        assertEquals(1, noLimit.state.value.failedAttempts)
        assertNull(noLimit.state.value.attemptsLeft, "no limit: nothing counts down")
    }

    suspendTest("taps that arrive after quick delete on the case list and set-up end quietly") {
        val unit = CliUnit(tempDir("indicia-field-unit"), "Unit")
        val app = setUpApp(tempDir("indicia-field-late-taps"), unit)
        val cases = app.on<Screen.Cases>().model
        app.quickDelete()
        cases.newCase("too late")
        cases.openCase("no-such-case")
        cases.importReceipt(ByteArray(10))
        assertNull(cases.receipt.value)

        val again = FieldApp(settingsIn(tempDir("indicia-field-late-setup")), HmacDeviceSecret(7), this)
        again.start()
        val setUp = again.on<Screen.SetUp>().model
        setUp.choosePin(PIN, PIN)
        again.quickDelete()
        setUp.addUnitCard(unit.cardJson)
        again.on<Screen.SetUp>()
    }

    suspendTest("a sealed package still under its pending name is found and offered for sharing") {
        val dir = tempDir("indicia-field-pending")
        val app = setUpApp(dir, CliUnit(tempDir("indicia-field-unit"), "Unit"))
        app.on<Screen.Cases>().model.newCase("sealed")
        var case = app.on<Screen.Case>().model
        case.seal()
        val sealed = assertIs<HandOver.Sealed>(case.state.value.handOver)
        assertNull(case.state.value.error)
        val named = assertNotNull(sealed.file)
        assertEquals("report-${sealed.reportId}.age", named.name)
        // As if the move into its final name had failed.
        val pending = File(named.parentFile, "pending-${case.state.value.record.id}.age")
        assertTrue(named.renameTo(pending))
        app.closeCase()
        app.on<Screen.Cases>().model.openCase(case.state.value.record.id)
        case = app.on<Screen.Case>().model
        assertEquals(pending, assertIs<HandOver.Sealed>(case.state.value.handOver).file)
        case.handedOver()
        app.closeCase()
        // Deleting the case (forced: no receipt yet) takes that file with it.
        app.on<Screen.Cases>().model.openCase(case.state.value.record.id)
        assertTrue(app.on<Screen.Case>().model.delete(force = true))
        assertFalse(pending.exists())
    }

    suspendTest("set-up backgrounded while the store is being created shows the lock screen once it exists") {
        val device = GatedDevice(7)
        val app = FieldApp(settingsIn(tempDir("indicia-field-bg-create")), device, this)
        app.start()
        val setUp = app.on<Screen.SetUp>().model
        val gate = CountDownLatch(1)
        device.gate = gate
        val creating = launch { setUp.choosePin(PIN, PIN) }
        awaitGate(device.entered)
        assertNull(app.onBackground(), "no store to lock yet")
        gate.countDown()
        creating.join()
        // Back in the foreground: no unit card can be added without the PIN.
        app.on<Screen.Locked>().model.submit(PIN)
        assertEquals(SetUpStep.AddUnit, app.on<Screen.SetUp>().model.state.value.step)
    }
}
