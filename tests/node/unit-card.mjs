// A receiving unit's signed card made in the test itself (not a test file): an Ed25519 key from
// node:crypto signs the card as docs/formats/receipt.md ("Unit card") says, so the tests that
// seal need no receiver database. The core then reads it like any card a unit hands out.
import { createHash, generateKeyPairSync, sign } from 'node:crypto';

/** RFC 8785 for what a card holds (objects of ASCII keys, strings). */
function canonical(value) {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
}

/**
 * A unit called `name` whose reports go to age `recipient`: its card (JSON text and parsed) and
 * its signing key id (what `sealCase` names a unit by).
 */
export function signedUnitCard(name, recipient) {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const signing_key = {
    public_key: raw.toString('hex'),
    key_id: createHash('sha256').update(raw).digest('hex').slice(0, 32),
  };
  const unsigned = { format: 'indicia-unit/2', name, recipient, signing_key };
  const message = Buffer.concat([Buffer.from('indicia-unit/2 card\0'), Buffer.from(canonical(unsigned))]);
  const card = { ...unsigned, signature: sign(null, message, privateKey).toString('hex') };
  return { card, cardJson: JSON.stringify(card), keyId: signing_key.key_id };
}
