// Jetpack Compose screens that only render the state holders (src/main/kotlin) and forward taps
// to them: no rule, check or store call of their own. Texts are English placeholders; the
// checklist's own texts come translated from the core. Android-only; not compiled here
// (docs/android.md).
package org.indicia.field

import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.foundation.ExperimentalFoundationApi
import androidx.compose.foundation.combinedClickable
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.material3.AlertDialog
import androidx.compose.material3.Button
import androidx.compose.material3.Card
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.runtime.Composable
import androidx.compose.runtime.collectAsState
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.produceState
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.text.input.PasswordVisualTransformation
import androidx.compose.ui.unit.dp
import java.io.File
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import org.json.JSONArray
import org.indicia.core.AnswerValue
import org.indicia.core.model.QuestionKind
import org.indicia.core.model.QuestionView
import org.indicia.sdk.WrongPinException

/** The app: the screen [FieldApp.screen] names, under a title whose long press is quick delete. */
@OptIn(ExperimentalFoundationApi::class)
@Composable
fun FieldScreens(app: FieldApp, scope: CoroutineScope, share: (File) -> Unit) {
    val screen by app.screen.collectAsState()
    var confirmDelete by remember { mutableStateOf(false) }
    val go: (suspend () -> Unit) -> Unit = { action -> scope.launch { action() } }
    Column(Modifier.padding(16.dp)) {
        // Quick delete: a long press on the title, then one confirmation.
        Text("Indicia", Modifier.combinedClickable(onClick = {}, onLongClick = { confirmDelete = true }))
        when (val s = screen) {
            Screen.Starting -> Unit
            is Screen.SetUp -> SetUpScreen(s.model, app.wipedByWrongPins, go)
            is Screen.Locked -> LockScreen(s.model, go)
            is Screen.Cases -> CasesScreen(s.model, go) { app.deviceKey()?.publicKey }
            is Screen.Case -> CaseScreen(s.model, go, share, onBack = app::closeCase)
            is Screen.Broken -> Text("The store cannot be opened (${s.error.kind}). Long-press the title to erase it.")
        }
    }
    if (confirmDelete) {
        AlertDialog(
            onDismissRequest = { confirmDelete = false },
            title = { Text("Erase everything now?") },
            confirmButton = { TextButton(onClick = { confirmDelete = false; go { app.quickDelete() } }) { Text("Erase") } },
            dismissButton = { TextButton(onClick = { confirmDelete = false }) { Text("Cancel") } },
        )
    }
}

@Composable
private fun PinField(label: String, value: String, onChange: (String) -> Unit) = OutlinedTextField(
    value, onChange, label = { Text(label) },
    visualTransformation = PasswordVisualTransformation(),
    keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.NumberPassword),
)

@Composable
private fun SetUpScreen(model: SetUpModel, wiped: Boolean, go: (suspend () -> Unit) -> Unit) {
    val state by model.state.collectAsState()
    var pin by remember { mutableStateOf("") }
    var repeated by remember { mutableStateOf("") }
    var card by remember { mutableStateOf("") }
    if (wiped) Text("The store was erased after too many wrong PINs.")
    state.problem?.let { Text(problemText(it)) }
    when (state.step) {
        SetUpStep.ChoosePin -> {
            PinField("New PIN", pin) { pin = it }
            PinField("PIN again", repeated) { repeated = it }
            Button(onClick = { go { model.choosePin(pin, repeated) } }, enabled = !state.busy) { Text("Create") }
        }
        SetUpStep.AddUnit -> {
            // The card's text from the unit's QR code (a scanner app or CameraX) or a file.
            OutlinedTextField(card, { card = it }, label = { Text("Unit card") })
            Button(onClick = { go { model.addUnitCard(card) } }) { Text("Add unit") }
        }
        SetUpStep.CompareFingerprint -> {
            Text("${state.unit?.card?.name}: does the unit read out ${state.unit?.fingerprint}?")
            Row {
                Button(onClick = { go { model.compareFingerprint(true) } }) { Text("It matches") }
                TextButton(onClick = { go { model.compareFingerprint(false) } }) { Text("It differs") }
            }
        }
    }
}

private fun problemText(problem: SetUpProblem) = when (problem) {
    SetUpProblem.PinsDiffer -> "The two PINs differ."
    SetUpProblem.FingerprintRejected -> "Card removed: ask the unit for its card again."
    is SetUpProblem.Refused -> problem.error.message ?: problem.error.kind
}

@Composable
private fun LockScreen(model: LockModel, go: (suspend () -> Unit) -> Unit) {
    val state by model.state.collectAsState()
    var pin by remember { mutableStateOf("") }
    PinField("PIN", pin) { pin = it }
    when (val error = state.error) {
        null -> Unit
        is WrongPinException -> Text("Wrong PIN." + (state.attemptsLeft?.let { " $it attempts left before everything is erased." } ?: ""))
        // The Keystore refused, the store was altered, …: said, so the worker does not keep retyping the PIN.
        else -> Text(error.message ?: error.kind)
    }
    Button(onClick = { go { model.submit(pin) }; pin = "" }, enabled = !state.busy) { Text("Unlock") }
}

/** A file the worker picks (Files, a messenger's download), read off the main thread. */
@Composable
private fun rememberFilePicker(go: (suspend () -> Unit) -> Unit, use: suspend (name: String, mime: String, bytes: ByteArray) -> Unit): (String) -> Unit {
    val resolver = LocalContext.current.contentResolver
    val launcher = rememberLauncherForActivityResult(ActivityResultContracts.GetContent()) { uri ->
        if (uri != null) go {
            val bytes = withContext(Dispatchers.IO) { resolver.openInputStream(uri)?.use { it.readBytes() } }
            if (bytes != null) use(uri.lastPathSegment ?: "file", resolver.getType(uri) ?: "application/octet-stream", bytes)
        }
    }
    return { mime -> launcher.launch(mime) }
}

@Composable
private fun CasesScreen(model: CaseListModel, go: (suspend () -> Unit) -> Unit, deviceKey: suspend () -> String?) {
    val pickReceipt = rememberFilePicker(go) { _, _, bytes -> model.importReceipt(bytes) }
    // What the unit puts on its trust list (`indicia trust add --device`).
    val key by produceState<String?>(null) { value = deviceKey() }
    key?.let { Text("This device's key: $it") }
    val cases by model.cases.collectAsState()
    val receipt by model.receipt.collectAsState()
    val error by model.error.collectAsState()
    error?.let { Text(it.message ?: it.kind) }
    var title by remember { mutableStateOf("") }
    Row {
        OutlinedTextField(title, { title = it }, label = { Text("New case") })
        Button(onClick = { go { model.newCase(title) }; title = "" }) { Text("Start") }
    }
    TextButton(onClick = { pickReceipt("*/*") }) { Text("Import a receipt") }
    when (val r = receipt) {
        is ReceiptResult.Imported -> Text("Receipt from ${r.receipt.unitName}: ${r.receipt.status}")
        is ReceiptResult.Refused -> Text("Receipt refused: ${r.error.message}")
        null -> Unit
    }
    LazyColumn {
        items(cases, key = { it.id }) { case ->
            TextButton(onClick = { go { model.openCase(case.id) } }) { Text("${case.title} · ${case.status}") }
        }
    }
}

@Composable
private fun CaseScreen(model: CaseModel, go: (suspend () -> Unit) -> Unit, share: (File) -> Unit, onBack: () -> Unit) {
    val pickPhoto = rememberFilePicker(go) { name, mime, bytes -> model.addAttachment(name, mime, bytes) }
    val state by model.state.collectAsState()
    val checklist = model.checklist?.state?.collectAsState()?.value
    var note by remember { mutableStateOf("") }
    LazyColumn {
        item {
            TextButton(onClick = onBack) { Text("Back") }
            Text(state.record.title)
            state.error?.let { Text(it.message ?: it.kind) }
        }
        if (checklist != null) {
            item { Text("${checklist.progress.answered} of ${checklist.progress.visible} answered") }
            items(checklist.questions, key = { it.id }) { q -> Question(q, state.editable) { v -> go { model.answer(q.id, v) } } }
            item {
                Card {
                    Text(checklist.assessment.outcome.label)
                    checklist.assessment.explanation.forEach { Text(it) }
                    checklist.assessment.outcome.actions.forEach { Text("• $it") }
                    checklist.assessment.outcome.referrals.forEach { Text("${it.name} ${it.phone ?: it.url ?: ""}") }
                }
            }
        }
        items(state.notes, key = { it.id }) { Text(it.text) }
        item {
            if (state.editable) {
                OutlinedTextField(note, { note = it }, label = { Text("Note") })
                Button(onClick = { go { model.addNote(note) }; note = "" }) { Text("Add note") }
                TextButton(onClick = { pickPhoto("image/*") }) { Text("Add a photo (${state.attachments.size})") }
            }
            when (val h = state.handOver) {
                HandOver.Draft -> Button(onClick = { go { model.seal() } }) { Text("Seal for the unit") }
                is HandOver.Sealed -> Row {
                    h.file?.let { file -> Button(onClick = { share(file) }) { Text("Share") } }
                    TextButton(onClick = { go { model.handedOver() } }) { Text("Handed over") }
                }
                is HandOver.HandedOver -> Text("Handed over; waiting for the unit's receipt.")
                is HandOver.Acknowledged -> Button(onClick = { go { if (model.delete()) onBack() } }) { Text("Delete") }
            }
        }
    }
}

@Composable
private fun Question(q: QuestionView, editable: Boolean, answer: (AnswerValue) -> Unit) = Column {
    Text(if (q.required) "${q.label} *" else q.label)
    q.hint?.let { Text(it) }
    when (q.kind) {
        QuestionKind.YES_NO -> Row {
            listOf("yes", "no", "unknown", "declined").forEach { v ->
                TextButton(onClick = { answer(AnswerValue.YesNo(v)) }, enabled = editable) { Text(if (q.answer == "\"$v\"") "[$v]" else v) }
            }
        }
        QuestionKind.SINGLE_CHOICE -> q.choices.forEach { c ->
            TextButton(onClick = { answer(AnswerValue.Choice(c.id)) }, enabled = editable) { Text(c.label) }
        }
        QuestionKind.MULTI_CHOICE -> {
            // The saved answer is a JSON list of choice ids (org.json is part of Android).
            val selected = q.answer?.let { json -> JSONArray(json).let { a -> List(a.length()) { a.getString(it) } } }.orEmpty()
            q.choices.forEach { c ->
                val next = if (c.id in selected) selected - c.id else selected + c.id
                TextButton(onClick = { answer(AnswerValue.Choices(next)) }, enabled = editable && next.isNotEmpty()) {
                    Text(if (c.id in selected) "[${c.label}]" else c.label)
                }
            }
        }
        QuestionKind.TEXT, QuestionKind.NUMBER, QuestionKind.DATE -> {
            var text by remember(q.id) { mutableStateOf("") }
            OutlinedTextField(text, { text = it }, enabled = editable, placeholder = { Text(q.answer ?: "") })
            TextButton(onClick = {
                when (q.kind) {
                    // The core checks the value: bounds, the date's form (YYYY-MM-DD).
                    QuestionKind.NUMBER -> text.toDoubleOrNull()?.let { answer(AnswerValue.Number(it)) }
                    QuestionKind.DATE -> answer(AnswerValue.Date(text))
                    else -> answer(AnswerValue.Text(text))
                }
            }, enabled = editable) { Text("Save") }
        }
        // Photo questions: not drawn yet (docs/android.md).
        QuestionKind.ATTACHMENT -> Text("(photos: not in this app yet)")
    }
}
