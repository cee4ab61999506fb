// The interface text. `t(key, lang, vars)` gives the text in `lang`, falling back to English for
// a key a language lacks; `{name}` in a text is replaced by `vars.name`. The checklist's own texts
// (questions, indicators, outcomes, explanations) come from the core in the case's language; these
// are only the app's words around them. Translations not yet checked by a native speaker are
// listed in UNREVIEWED, and the app says so.

const en = {
  'app.exit': 'Exit',
  'app.exitHint': 'Leave this app at once (or press Shift three times)',
  'app.lock': 'Lock',
  'app.loading': 'Loading…',
  'app.failed': 'This app cannot run in this browser: {reason}',
  'app.saved': 'Saved',
  'app.waitingForPage': 'Waiting for the page that shows this form…',
  'app.language': 'Language',
  'app.unreviewedUi': 'The interface text in this language has not been checked by a native speaker.',

  'lock.title': 'Unlock',
  'lock.createTitle': 'Protect this device',
  'lock.none.passkey': 'Choose a PIN of 6 characters or more. The store is also bound to this device’s passkey (you will be asked for it), so the PIN alone opens nothing.',
  'lock.none.passphrase': 'This device has no passkey the store could be bound to{reason}. Choose a passphrase of 8 characters or more that is hard to guess, such as a few unrelated words.',
  'lock.locked.passkey': 'Enter your PIN. This device’s passkey is asked too.',
  'lock.locked.passphrase': 'Enter your passphrase.',
  'lock.pin': 'PIN',
  'lock.passphrase': 'Passphrase',
  'lock.create': 'Create',
  'lock.unlock': 'Unlock',
  'lock.wiped': 'Too many wrong attempts: everything on this device was erased.',
  'lock.attemptsLeft': '{left} attempts left before everything on this device is erased.',
  'lock.pending': 'The report you started is saved, encrypted, as soon as the store is open.',

  'setup.title': 'Receiving unit',
  'setup.intro': 'Reports are sealed so that only the receiving unit can open them. Scan the QR code of the unit card it gave you, or import the card as a file.',
  'setup.cardFile': 'Unit card file',
  'setup.deployment': 'Unit cards your organisation set up',
  'setup.use': 'Use this card',
  'setup.check': 'Check this fingerprint with the unit by phone or in person before you go on:',
  'setup.matches': 'It matches',
  'setup.differs': 'It does not match',
  'setup.removed': 'The card was removed. Ask the unit for its card again.',
  'setup.organisation': 'Your organisation’s id, as agreed with the unit (sent with each report)',
  'setup.organisationMissing': 'enter your organisation’s id first',
  'setup.done': 'Continue',
  'setup.scan': 'Scan the unit’s QR code',
  'setup.cameraHint': 'Point the camera at the unit’s QR code.',
  'setup.scanStop': 'Stop the camera',
  'setup.qrPhoto': 'Read the QR code from a photo',
  'setup.noQr': 'No QR code was found in this picture. Take it again, closer, with the whole code in view.',
  'setup.noCamera': 'The camera cannot be used ({reason}). Read the QR code from a photo instead.',

  'cases.title': 'Cases',
  'cases.empty': 'No cases yet.',
  'cases.new': 'New case',
  'cases.caseTitle': 'Title only you will see',
  'cases.language': 'Checklist language',
  'cases.start': 'Start',
  'cases.receipt': 'Import a receipt from the unit',
  'cases.receiptHint': 'Once a receipt is imported the case is acknowledged and can be deleted.',
  'cases.units': 'Receiving units',
  'cases.addUnit': 'Add a unit card',
  'cases.deviceKey': 'This device’s key, for the unit’s trust list:',
  'cases.deleteAll': 'Delete everything',
  'cases.deleteAllConfirm': 'Tap again to erase every case on this device now',
  'cases.deleteAllCancel': 'Cancel',
  'status.draft': 'Draft',
  'status.sealed': 'Sealed, not yet received',
  'status.handed_over': 'Handed over, no receipt yet',
  'status.acknowledged': 'Acknowledged by the unit',
  'receipt.new': 'Receipt from {unit}: {status}. The case is acknowledged and can be deleted.',
  'receipt.again': 'This receipt was already imported; nothing changed.',

  'case.back': 'Cases',
  'case.newReport': 'New report',
  'case.pendingHint': 'For now your answers are only on this screen. To keep them on this device, encrypted, seal the report or open your cases: you will be asked for your PIN.',
  'case.reportTitle': 'Report of {date}',
  'case.progress': '{answered} of {visible} answered',
  'case.missing': 'Still required: {list}',
  'case.assessment': 'Assessment',
  'case.level': 'Level {level}',
  'case.ruleMet': 'rule met',
  'case.ruleNotMet': 'rule not met',
  'case.actions': 'Recommended actions',
  'case.referrals': 'Referral contacts',
  'case.why': 'Why',
  'checklist.provenance.built_in': 'Checklist built into this app.',
  'checklist.provenance.trusted_publisher': 'Checklist published by {publisher} (key {key}); its signature was checked.',
  'checklist.provenance.untrusted_publisher': 'Checklist signed by {publisher} (key {key}), a publisher this app does not list.',
  'checklist.provenance.unsigned': 'Checklist not signed by any publisher.',
  'checklist.review': 'Review: {status}.',
  'checklist.status.unreviewed': 'not yet reviewed',
  'checklist.status.draft': 'being reviewed',
  'checklist.status.reviewed': 'reviewed',
  'case.unreviewedChecklist': 'Checklist status: {status}. It needs review by anti-trafficking practitioners before real use.',
  'case.uncheckedTranslation': 'This translation of the checklist has not been checked by a native speaker.',
  'case.notes': 'Notes',
  'case.note': 'New note',
  'case.addNote': 'Add note',
  'case.photos': 'Photos and files',
  'case.addPhoto': 'Take a photo or add a file',
  'case.seal': 'Seal and hand over',
  'case.sealHint': 'Sealing makes an encrypted report only the receiving unit can open. The case can no longer be edited.',
  'case.sealButton': 'Seal report',
  'case.share': 'Share the report',
  'case.download': 'Save the report file',
  'case.handedToPage': 'Report {report} is sealed and handed to this page. It becomes final once the page confirms it has it.',
  'case.sealedFinal': 'Report {report} is sealed and handed over. Import the unit’s receipt when it comes.',
  'case.handedOver': 'Report {report} is sealed. Send the file to the unit by any channel.',
  'case.delete': 'Delete case',
  'case.deleteConfirm': 'Tap again to delete this case',
  'case.noUnit': 'Add a receiving unit first.',

  'question.observed': 'observe',
  'question.asked': 'ask',
  'question.required': 'required',
  'question.more': 'More',
  'question.clear': 'Clear',
  'question.attachmentsBelow': 'Add photos and files below',
  'question.invalid': 'Not kept: {reason}',
  'answer.yes': 'Yes',
  'answer.no': 'No',
  'answer.unknown': 'Don’t know',
  'answer.declined': 'Declined to answer',
};

const STRINGS = { en };

/** The English table: the source every other language translates (checked by
 * tests/node/web-strings.test.mjs). */
export const ENGLISH = en;

/** The interface languages: English built in, the others loaded on demand from strings/. */
export const LANGUAGES = ['en', 'sk', 'bg', 'es', 'ca', 'el', 'pl', 'it', 'uk', 'ar'];

/** Loads the interface text of `lang` (a no-op for English or one already loaded). */
export async function loadLanguage(lang) {
  if (STRINGS[lang] || !LANGUAGES.includes(lang)) return;
  STRINGS[lang] = (await import(`./strings/${lang}.js`)).default;
}

/** Languages whose interface text no native speaker has checked. */
export const UNREVIEWED = new Set(['sk', 'bg', 'es', 'ca', 'el', 'pl', 'it', 'uk', 'ar']);

/** Languages written right to left (the app sets dir="rtl" for them). */
const RTL = new Set(['ar', 'fa', 'he', 'ur']);

export function direction(lang) {
  return RTL.has(lang.split('-')[0]) ? 'rtl' : 'ltr';
}

export function t(key, lang = 'en', vars = {}) {
  const text = STRINGS[lang]?.[key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ''));
}
