// The passkey as the store's device-bound factor (WebAuthn with the PRF extension; the vault's
// decision docs/decisions/0004-vault-tamper-detection.md and docs/threat-model.md). Where the
// device has a user-verifying platform authenticator with PRF, the key that opens the store is
// derived from the PIN and the passkey's PRF output for the store's challenge, which only the
// authenticator can compute, so a copy of the storage plus the PIN opens nothing. WebAuthn runs
// only on the page's thread: the page asks the worker for the challenge, asks the passkey, and
// hands the output to the worker (transferred, then zeroed there). Without such a passkey the
// store is protected by a passphrase alone, and the core asks for one that is hard to guess
// ("WeakPin").

// The passkey's credential id, kept only as a hint for `allowCredentials` so that the right
// passkey is asked (a wrong one would count as a wrong PIN). It is not secret: without the
// authenticator it opens nothing.
const PASSKEY_HINT = 'indicia.passkey';
const PASSKEY_TIMEOUT_MS = 120_000;
// Shown by the password manager: the deployment's neutral app name replaces it (setPasskeyName).
let PASSKEY_NAME = 'Indicia';
export function setPasskeyName(name) {
  PASSKEY_NAME = name;
}

const base64url = {
  encode: (bytes) => btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, ''),
  decode: (text) => Uint8Array.from(atob(text.replaceAll('-', '+').replaceAll('_', '/')), (c) => c.charCodeAt(0)),
};

export function passkeyHint() {
  const hint = localStorage.getItem(PASSKEY_HINT);
  try {
    return hint ? base64url.decode(hint) : null;
  } catch {
    return null;
  }
}

/** Asks the authenticator to drop a passkey no store needs any more, and forgets the hint. */
export function retirePasskey(credentialId) {
  if (base64url.encode(credentialId) === localStorage.getItem(PASSKEY_HINT)) localStorage.removeItem(PASSKEY_HINT);
  // Only a courtesy to the password manager, where the browser offers it.
  window.PublicKeyCredential?.signalUnknownCredential?.({ rpId: location.hostname, credentialId: base64url.encode(credentialId) })
    ?.catch(() => {});
}

/** Whether this browser offers a user-verifying platform authenticator and the PRF extension. */
async function passkeyAvailable() {
  try {
    if (!window.isSecureContext || !window.PublicKeyCredential) return false;
    const capabilities = await PublicKeyCredential.getClientCapabilities?.();
    if (capabilities && capabilities['extension:prf'] === false) return false;
    return await PublicKeyCredential.isUserVerifyingPlatformAuthenticatorAvailable();
  } catch {
    return false;
  }
}

/** What the page offers for a new store: { passkey: boolean, reason?: string }. */
export let offer = passkeyAvailable().then((passkey) => ({ passkey }));

/** The 32-byte PRF output in a credential's extension results (in its own buffer), or null. */
function prfOutput(credential) {
  const first = credential.getClientExtensionResults().prf?.results?.first;
  if (!first || first.byteLength !== 32) return null;
  const view = ArrayBuffer.isView(first) ? new Uint8Array(first.buffer, first.byteOffset, 32) : new Uint8Array(first);
  const copy = view.slice();
  view.fill(0); // the copy is handed to the worker; no other copy stays in the page
  return copy;
}

function noPrf() {
  return Object.assign(new Error('the passkey gave no PRF output'), { name: 'NoPrfError' });
}

/** The passkey's PRF output for `challenge`, with user verification. `credentialId`: the passkey
 * to ask (any of this site's passkeys if null). */
async function passkeyPrf(credentialId, challenge) {
  const credential = await navigator.credentials.get({
    publicKey: {
      // Nobody checks the assertion; only the PRF output is used.
      challenge: crypto.getRandomValues(new Uint8Array(32)),
      allowCredentials: credentialId ? [{ type: 'public-key', id: credentialId }] : [],
      userVerification: 'required',
      timeout: PASSKEY_TIMEOUT_MS,
      extensions: { prf: { eval: { first: challenge } } },
    },
  });
  const prf = prfOutput(credential);
  if (!prf) throw noPrf();
  return prf;
}

// A passkey made on this page for a store the core then refused (a weak PIN): asked again on the
// next try rather than leaving one unused passkey per try.
let unusedPasskey = null;

/** A passkey for a new store and its PRF output for a fresh challenge from the core:
 * { credentialId, challenge, prf }. */
async function passkeyForNewStore(call) {
  const challenge = await call('newDeviceChallenge');
  if (unusedPasskey) return { credentialId: unusedPasskey, challenge, prf: await passkeyPrf(unusedPasskey, challenge) };
  const credential = await navigator.credentials.create({
    publicKey: {
      rp: { name: PASSKEY_NAME },
      // A random handle: nothing about the worker or the cases goes to the password manager.
      user: { id: crypto.getRandomValues(new Uint8Array(16)), name: PASSKEY_NAME, displayName: PASSKEY_NAME },
      challenge: crypto.getRandomValues(new Uint8Array(32)),
      pubKeyCredParams: [
        { type: 'public-key', alg: -7 },
        { type: 'public-key', alg: -257 },
      ],
      authenticatorSelection: {
        residentKey: 'required',
        requireResidentKey: true,
        userVerification: 'required',
        authenticatorAttachment: 'platform',
      },
      attestation: 'none',
      timeout: PASSKEY_TIMEOUT_MS,
      extensions: { prf: { eval: { first: challenge } } },
    },
  });
  const credentialId = new Uint8Array(credential.rawId);
  let prf = prfOutput(credential);
  if (!prf) {
    // Some authenticators evaluate the PRF only when signing in.
    if (!credential.getClientExtensionResults().prf?.enabled) {
      retirePasskey(credentialId);
      throw noPrf();
    }
    unusedPasskey = credentialId;
    prf = await passkeyPrf(credentialId, challenge);
  }
  unusedPasskey = credentialId;
  return { credentialId, challenge, prf };
}

/** Why a passkey did not answer, in words. */
export function passkeyFailure(err) {
  if (err?.name === 'NotAllowedError') return 'the passkey was not found on this device, or the request was cancelled or timed out';
  if (err?.name === 'NoPrfError') return 'the passkey has no PRF extension, so it cannot derive a key';
  return `${err?.name ?? 'Error'}: ${err?.message ?? String(err)}`;
}

/** Creates the store: bound to a passkey where one can be made, else under a passphrase alone. */
export async function createStore(call, pin) {
  let device = null;
  if ((await offer).passkey) {
    try {
      device = await passkeyForNewStore(call);
    } catch (err) {
      // No passkey after all: the store falls back to a passphrase (the page says so).
      offer = Promise.resolve({ passkey: false, reason: passkeyFailure(err) });
    }
  }
  if (!device) {
    await call('create', { pin });
    return;
  }
  await call('create', { pin, challenge: device.challenge, prf: device.prf }, [device.prf.buffer]);
  localStorage.setItem(PASSKEY_HINT, base64url.encode(device.credentialId));
  unusedPasskey = null;
}

/** Unlocks the store; a passkey store asks its passkey for the PRF output first. */
export async function unlockStore(call, pin, protection) {
  if (protection !== 'passkey') {
    await call('unlock', { pin });
    return;
  }
  const challenge = await call('deviceChallenge');
  let prf;
  try {
    prf = await passkeyPrf(passkeyHint(), challenge);
  } catch (failure) {
    // The core refuses the PIN alone ("DeviceSecretRequired"); say why the passkey did not help.
    try {
      await call('unlock', { pin });
    } catch (err) {
      if (err.kind === 'DeviceSecretRequired') err.message += ` (${passkeyFailure(failure)})`;
      throw err;
    }
    return;
  }
  await call('unlock', { pin, prf }, [prf.buffer]);
}
