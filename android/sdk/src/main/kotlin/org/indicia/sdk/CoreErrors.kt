// The generated binding's exceptions (one flat class per core error kind) mapped onto the SDK's
// hierarchy. The `when` is exhaustive over the generated sealed class: a kind added to the core's
// list (`with_error_kinds!`) fails this file's compilation until it has its SDK class.
package org.indicia.sdk

import org.indicia.core.IndiciaException as CoreException

/** The SDK exception for a binding exception, keeping it as the cause. */
internal fun CoreException.toSdk(): IndiciaException {
    val text = message ?: kind
    return when (this) {
        is CoreException.MalformedRecipient -> MalformedRecipientException(text, this)
        is CoreException.MalformedIdentity -> MalformedIdentityException(text, this)
        is CoreException.NoRecipients -> NoRecipientsException(text, this)
        is CoreException.WrongIdentity -> WrongIdentityException(text, this)
        is CoreException.CorruptInput -> CorruptInputException(text, this)
        is CoreException.TruncatedInput -> TruncatedInputException(text, this)
        is CoreException.UnsupportedInput -> UnsupportedInputException(text, this)
        is CoreException.Io -> IoException(text, this)
        is CoreException.InvalidChecklist -> InvalidChecklistException(text, this)
        is CoreException.UnknownChecklist -> UnknownChecklistException(text, this)
        is CoreException.InvalidAnswer -> InvalidAnswerException(text, this)
        is CoreException.NoStore -> NoStoreException(text, this)
        is CoreException.StoreLocked -> StoreLockedException(text, this)
        is CoreException.WrongPin -> WrongPinException(text, this)
        is CoreException.WeakPin -> WeakPinException(text, this)
        is CoreException.DeviceSecretRequired -> DeviceSecretRequiredException(text, this)
        is CoreException.StoreWiped -> StoreWipedException(text, this)
        is CoreException.StoreTampered -> StoreTamperedException(text, this)
        is CoreException.NotFound -> NotFoundException(text, this)
        is CoreException.InvalidState -> InvalidStateException(text, this)
        is CoreException.StoreFailure -> StoreFailureException(text, this)
        is CoreException.BadSignature -> BadSignatureException(text, this)
        is CoreException.InvalidSelector -> InvalidSelectorException(text, this)
        is CoreException.UntrustedSigner -> UntrustedSignerException(text, this)
        is CoreException.InvalidArgument -> InvalidArgumentException(text, this)
        is CoreException.UntrustedChecklist -> UntrustedChecklistException(text, this)
    }
}

/** The core's kind name of a binding exception: its class name (`IndiciaException.WrongPin`). */
internal val CoreException.kind: String get() = this::class.java.simpleName

/** Runs a binding call, rethrowing its exception as the SDK's. */
internal inline fun <T> core(call: () -> T): T =
    try {
        call()
    } catch (e: CoreException) {
        throw e.toSdk()
    }
