// The "Seal a report" page: the plaintext never leaves this script; only the sealed age file is
// shown or offered for download.
import init, { sealArmored } from './pkg/indicia.js';

const form = document.getElementById('seal-form');
const message = document.getElementById('message');
const recipients = document.getElementById('recipients');
const button = document.getElementById('seal');
const status = document.getElementById('status');
const error = document.getElementById('error');
const output = document.getElementById('output');
const sealed = document.getElementById('sealed');
const download = document.getElementById('download');

let downloadUrl = null;

function clearOutput() {
  sealed.textContent = '';
  output.hidden = true;
  if (downloadUrl) {
    URL.revokeObjectURL(downloadUrl);
    downloadUrl = null;
  }
  download.removeAttribute('href');
}

function showError(err) {
  clearOutput();
  // IndiciaError carries a stable `kind`; anything else is a bug worth showing as-is.
  const kind = err?.kind ?? err?.name ?? 'Error';
  error.textContent = `${kind}: ${err?.message ?? String(err)}`;
  error.hidden = false;
  status.textContent = 'Not sealed.';
}

function recipientLines() {
  return recipients.value
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  error.hidden = true;
  error.textContent = '';
  try {
    const armored = sealArmored(new TextEncoder().encode(message.value), recipientLines());
    clearOutput();
    sealed.textContent = armored;
    // Armored text is a valid age file too, and survives copy/paste into mail or a form.
    downloadUrl = URL.createObjectURL(new Blob([armored], { type: 'application/octet-stream' }));
    download.href = downloadUrl;
    output.hidden = false;
    status.textContent = 'Sealed. Send the file below; it can only be opened by the recipients.';
  } catch (err) {
    showError(err);
  }
});

try {
  await init();
  button.disabled = false;
  status.textContent = 'Ready.';
  document.body.dataset.ready = 'true';
} catch (err) {
  showError(err);
  status.textContent = 'The encryption engine failed to load; nothing can be sealed.';
}
