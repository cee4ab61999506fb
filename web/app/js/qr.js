// Set-up: the receiving unit's card read from its QR code (`indicia unit-card --qr`), with the
// phone's camera in the page or from a photo of the code. The code holds the card's JSON as the
// file does, so what is read goes the same way as a file: the app's addUnit, then the fingerprint
// to compare. The decoder (vendor/qr.js, jsQR) is loaded only when the worker scans or picks a
// photo. The camera runs only while the set-up screen shows it: it stops as soon as a code is
// read, when the worker stops it, when the fingerprint or another screen shows (a lock, the
// quick exit), and when the app is hidden or left.
import { $ } from './dom.js';
import { t } from './strings.js';

/** Camera frames are decoded at most this often, and scaled down to at most this width. */
const DECODE_EVERY_MS = 120;
const DECODE_WIDTH = 960;
/** Photos are scaled down to at most this side before decoding (a 12-megapixel photo is slow). */
const PHOTO_SIDE = 1600;

let decoder = null; // the vendor module's promise, once asked for
let scan = null; // { stream, video, stopped } while the camera is on
let attempts = 0; // taps on Scan: only the latest may turn the camera on

const text = (key, vars) => t(key, document.documentElement.lang || 'en', vars);

function loadDecoder() {
  decoder ??= import('../vendor/qr.js');
  return decoder;
}

/** The card's text from the code's bytes (UTF-8, as `indicia unit-card --qr` writes it). */
const cardText = (bytes) => new TextDecoder('utf-8').decode(bytes);

/** Whether this page may use a camera (a browser without one, or a frame not allowed it, may
 * still read a photo). */
function cameraAllowed() {
  if (!navigator.mediaDevices?.getUserMedia) return false;
  const policy = document.permissionsPolicy ?? document.featurePolicy;
  return policy?.allowsFeature ? policy.allowsFeature('camera') : true;
}

/** Stops the camera, if it is on. Safe to call at any time. */
export function stopScan() {
  attempts++; // a camera still being asked for is not turned on
  if (!scan) return;
  scan.stopped = true;
  for (const track of scan.stream.getTracks()) track.stop();
  scan.video.srcObject = null;
  scan = null;
  Object.assign($('setup-preview'), { width: 0, height: 0 }); // no picture lingers in the page
  $('setup-camera').hidden = true;
  $('setup-scan').hidden = !cameraAllowed();
}

/** Opens the rear camera and decodes its frames until a code is read (its text) or the camera
 * is stopped (null). */
async function scanCamera() {
  stopScan();
  const attempt = ++attempts;
  const [{ decodeQr }, stream] = await Promise.all([
    loadDecoder(),
    navigator.mediaDevices
      .getUserMedia({ audio: false, video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } } })
      .catch((err) => {
        throw Object.assign(new Error(text('setup.noCamera', { reason: err?.message || err?.name || String(err) })), { kind: err?.name || 'NotAllowedError' });
      }),
  ]);
  // Meanwhile (the browser asking for the camera) the app may have locked, the screen changed or
  // the worker tapped again: then this camera goes off at once.
  const wanted = document.body.dataset.screen === 'setup' && $('setup-check').hidden && document.visibilityState === 'visible';
  if (attempt !== attempts || !wanted) {
    for (const track of stream.getTracks()) track.stop();
    return null;
  }
  // The video is never in the page: what the camera sees is drawn on the preview canvas, which
  // is also what is decoded.
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.srcObject = stream;
  const current = { stream, video, stopped: false };
  scan = current;
  $('setup-camera').hidden = false;
  $('setup-scan').hidden = true;
  await video.play().catch(() => {}); // stopped meanwhile: the loop below ends at once
  const preview = $('setup-preview');
  const context = preview.getContext('2d', { willReadFrequently: true });
  $('setup-scan-stop').focus();

  return new Promise((resolve) => {
    let lastDecode = 0;
    const frame = (now) => {
      if (current.stopped) return resolve(null);
      if (video.videoWidth > 0) {
        const scale = Math.min(1, DECODE_WIDTH / video.videoWidth);
        const [width, height] = [Math.round(video.videoWidth * scale), Math.round(video.videoHeight * scale)];
        if (preview.width !== width || preview.height !== height) Object.assign(preview, { width, height });
        context.drawImage(video, 0, 0, width, height);
        if (now - lastDecode >= DECODE_EVERY_MS) {
          lastDecode = now;
          const bytes = decodeQr(context.getImageData(0, 0, width, height));
          if (bytes) {
            stopScan();
            return resolve(cardText(bytes));
          }
        }
      }
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
}

/** The text of the QR code in a photo (an image file). */
async function readPhoto(file) {
  const [{ decodeQr }, bitmap] = await Promise.all([loadDecoder(), createImageBitmap(file)]);
  try {
    const scale = Math.min(1, PHOTO_SIDE / Math.max(bitmap.width, bitmap.height));
    const [width, height] = [Math.round(bitmap.width * scale), Math.round(bitmap.height * scale)];
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d', { willReadFrequently: true });
    context.drawImage(bitmap, 0, 0, width, height);
    const bytes = decodeQr(context.getImageData(0, 0, width, height), { invert: true });
    if (!bytes) throw Object.assign(new Error(text('setup.noQr')), { kind: 'NotFound' });
    return cardText(bytes);
  } finally {
    bitmap.close();
  }
}

/**
 * Wires the set-up screen's QR controls. `read(text)`: what the app does with a card's text (as
 * with a file); `act(fn)`: the app's wrapper for a user action (shows its errors).
 */
export function installQr({ read, act }) {
  $('setup-scan').hidden = !cameraAllowed();
  $('setup-scan').addEventListener(
    'click',
    act(async () => {
      const card = await scanCamera();
      if (card !== null) await read(card);
    }),
  );
  $('setup-scan-stop').addEventListener('click', () => {
    stopScan();
    $('setup-scan').focus();
  });
  $('setup-qr-photo').addEventListener(
    'change',
    act(async () => {
      const input = $('setup-qr-photo');
      const file = input.files?.[0];
      input.value = '';
      if (file) await read(await readPhoto(file));
    }),
  );
  // Another screen (a lock, a case), the fingerprint to compare, a card from a file: the camera
  // goes off.
  new MutationObserver(() => document.body.dataset.screen !== 'setup' && stopScan()).observe(document.body, {
    attributes: true,
    attributeFilter: ['data-screen'],
  });
  new MutationObserver(() => !$('setup-check').hidden && stopScan()).observe($('setup-check'), {
    attributes: true,
    attributeFilter: ['hidden'],
  });
  document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && stopScan());
  window.addEventListener('pagehide', stopScan);
}
