// An answer's JSON form as the store keeps it (docs/formats/checklist.md, "Answers"): the same
// conversion bindings/uniffi/src/checklist.rs makes (`AnswerValue::into_json`) for a session.
// The store takes answers as JSON text; a test saves every kind through the store, reopens it and
// restores a session from it, which fails if the two conversions differ.
package org.indicia.sdk

import org.indicia.core.AnswerValue

internal fun AnswerValue.toJson(): String = when (this) {
    is AnswerValue.YesNo -> jsonString(value)
    is AnswerValue.Choice -> jsonString(id)
    is AnswerValue.Choices -> ids.joinToString(",", "[", "]") { jsonString(it) }
    is AnswerValue.Number -> {
        // What the session says of it (ChecklistRun.answer); the store's own calls throw only the SDK's exceptions.
        if (!value.isFinite()) throw InvalidAnswerException("a number answer must be finite")
        // "42.0", "1.0E21": valid JSON, read back as the same f64 the session holds.
        value.toString()
    }
    is AnswerValue.Date -> jsonString(value)
    is AnswerValue.Text -> jsonString(value)
    is AnswerValue.Attachment -> jsonString(id)
}

private fun jsonString(s: String): String = buildString(s.length + 2) {
    append('"')
    for (c in s) {
        when {
            c == '"' -> append("\\\"")
            c == '\\' -> append("\\\\")
            c < ' ' -> append("\\u").append(c.code.toString(16).padStart(4, '0'))
            else -> append(c)
        }
    }
    append('"')
}
