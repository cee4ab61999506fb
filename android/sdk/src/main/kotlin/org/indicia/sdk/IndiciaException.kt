// The SDK's exceptions: one class per core error kind (core/src/error.rs, `with_error_kinds!`),
// grouped by what a screen does about them. Every SDK call throws only these (and
// IllegalStateException for a closed handle); CoreErrors.kt maps the generated binding's
// exceptions onto them, and the compiler checks that mapping covers every kind.
package org.indicia.sdk

/**
 * Any failure the Indicia core reports. [kind] is the core's stable error-kind name
 * (`"WrongPin"`, docs/cli.md's table); the message never holds answers, notes, names, PINs or
 * keys, so it may be logged. Catch a group ([StoreAccessException], [SealingException], …) or one
 * kind ([WrongPinException]); the hierarchy is sealed, so a `when` over it is exhaustive.
 */
sealed class IndiciaException(val kind: String, message: String, cause: Throwable?) : Exception(message, cause)

/** Opening, unlocking or keeping the encrypted store: what the lock and set-up screens handle. */
sealed class StoreAccessException(kind: String, message: String, cause: Throwable?) :
    IndiciaException(kind, message, cause)

/** There is no store at the given place (never created, or deleted completely). */
class NoStoreException(message: String, cause: Throwable? = null) : StoreAccessException("NoStore", message, cause)

/** The store is locked: unlock it first. */
class StoreLockedException(message: String, cause: Throwable? = null) : StoreAccessException("StoreLocked", message, cause)

/**
 * The PIN or passphrase is wrong. [attemptsLeft]: wrong PINs left before wipe-after-N erases the
 * store, or null when the store has no such limit.
 */
class WrongPinException(message: String, cause: Throwable? = null) : StoreAccessException("WrongPin", message, cause) {
    val attemptsLeft: Int? = ATTEMPTS_LEFT.find(message)?.groupValues?.get(1)?.toIntOrNull()

    private companion object {
        // The core's wording (core/src/vault/error.rs, StoreError::WrongPin); a test pins it.
        val ATTEMPTS_LEFT = Regex("""\((\d+) attempts left before the store is wiped\)""")
    }
}

/** A new PIN or passphrase does not meet the policy (the message says why, never the PIN). */
class WeakPinException(message: String, cause: Throwable? = null) : StoreAccessException("WeakPin", message, cause)

/** The store is bound to a device secret and none was given. */
class DeviceSecretRequiredException(message: String, cause: Throwable? = null) :
    StoreAccessException("DeviceSecretRequired", message, cause)

/** The store was wiped (quick delete or too many wrong PINs): its data is gone. */
class StoreWipedException(message: String, cause: Throwable? = null) : StoreAccessException("StoreWiped", message, cause)

/** Stored data fails authentication: the database was altered, rolled back or damaged. */
class StoreTamperedException(message: String, cause: Throwable? = null) :
    StoreAccessException("StoreTampered", message, cause)

/** SQLite, the file system, the random generator or a host callback (Keystore) failed. */
class StoreFailureException(message: String, cause: Throwable? = null) :
    StoreAccessException("StoreFailure", message, cause)

/** age files and keys: sealing, opening, identities and recipients. */
sealed class SealingException(kind: String, message: String, cause: Throwable?) : IndiciaException(kind, message, cause)

/** A recipient string is not an age X25519 recipient. */
class MalformedRecipientException(message: String, cause: Throwable? = null) :
    SealingException("MalformedRecipient", message, cause)

/** An identity holds no usable age X25519 identity. */
class MalformedIdentityException(message: String, cause: Throwable? = null) :
    SealingException("MalformedIdentity", message, cause)

/** Sealing was asked for with no recipient. */
class NoRecipientsException(message: String, cause: Throwable? = null) : SealingException("NoRecipients", message, cause)

/** None of the given identities opens this age file. */
class WrongIdentityException(message: String, cause: Throwable? = null) : SealingException("WrongIdentity", message, cause)

/** The input is not an age file, or it was altered. */
class CorruptInputException(message: String, cause: Throwable? = null) : SealingException("CorruptInput", message, cause)

/** The input ends early. */
class TruncatedInputException(message: String, cause: Throwable? = null) :
    SealingException("TruncatedInput", message, cause)

/** An input Indicia deliberately does not read (an unsigned v1 unit card, a newer format, …). */
class UnsupportedInputException(message: String, cause: Throwable? = null) :
    SealingException("UnsupportedInput", message, cause)

/** Checklist definitions and answers. */
sealed class ChecklistException(kind: String, message: String, cause: Throwable?) : IndiciaException(kind, message, cause)

/** A checklist definition is malformed (the message lists each mistake with its JSON path). */
class InvalidChecklistException(message: String, cause: Throwable? = null) :
    ChecklistException("InvalidChecklist", message, cause)

/** No built-in checklist has the requested id. */
class UnknownChecklistException(message: String, cause: Throwable? = null) :
    ChecklistException("UnknownChecklist", message, cause)

/** An answer does not fit its question, or names a question the checklist does not have. */
class InvalidAnswerException(message: String, cause: Throwable? = null) : ChecklistException("InvalidAnswer", message, cause)

/** Signatures: unit cards, packages and receipts. */
sealed class TrustException(kind: String, message: String, cause: Throwable?) : IndiciaException(kind, message, cause)

/** A signature does not verify: the card, package or receipt was altered or forged. */
class BadSignatureException(message: String, cause: Throwable? = null) : TrustException("BadSignature", message, cause)

/** A valid signature by a key not trusted here (e.g. a receipt from a unit the device does not know). */
class UntrustedSignerException(message: String, cause: Throwable? = null) :
    TrustException("UntrustedSigner", message, cause)

/**
 * A checklist definition the deployment does not accept: unsigned where signatures are required,
 * signed by a publisher not on its trust list, or with a trusted key under another name.
 */
class UntrustedChecklistException(message: String, cause: Throwable? = null) :
    TrustException("UntrustedChecklist", message, cause)

/** A request that does not fit what is there: the caller (or the worker) asked for the wrong thing. */
sealed class RequestException(kind: String, message: String, cause: Throwable?) : IndiciaException(kind, message, cause)

/** No such case, note, attachment or unit. */
class NotFoundException(message: String, cause: Throwable? = null) : RequestException("NotFound", message, cause)

/** The operation does not fit the current state (e.g. editing a sealed case). */
class InvalidStateException(message: String, cause: Throwable? = null) : RequestException("InvalidState", message, cause)

/** An argument is malformed or out of range (an empty PIN, a title over its limit). Nothing changed. */
class InvalidArgumentException(message: String, cause: Throwable? = null) :
    RequestException("InvalidArgument", message, cause)

/** A selector value (phone, e-mail, URL, …) cannot be normalised. */
class InvalidSelectorException(message: String, cause: Throwable? = null) :
    RequestException("InvalidSelector", message, cause)

/** Reading or writing a host-supplied file or stream failed. */
class IoException(message: String, cause: Throwable? = null) : RequestException("Io", message, cause)
