// The QR decoder the field app uses to read a receiving unit's card from the camera or a photo:
// jsQR (pure JavaScript, no network, no wasm of its own). web/build.mjs bundles this file with
// esbuild into build/web/app/vendor/qr.js, which web/app/js/qr.js imports only when the worker
// taps "Scan" or picks a photo of the code.
import jsQR from 'jsqr';

/**
 * The bytes of the QR code in `image` (an ImageData), or null if none was found. `invert`: also
 * look for a light-on-dark code (slower: photos only, not every camera frame).
 */
export function decodeQr(image, { invert = false } = {}) {
  const found = jsQR(image.data, image.width, image.height, { inversionAttempts: invert ? 'attemptBoth' : 'dontInvert' });
  return found ? Uint8Array.from(found.binaryData) : null;
}
