// The interface text in Italian (machine-made, not yet checked by a native speaker: see
// UNREVIEWED in ../strings.js). Keys missing here fall back to English.
export default {
  'answer.yes': 'Sì',
  'answer.no': 'No',
  'answer.unknown': 'Non so',
  'answer.declined': 'Preferisce non rispondere',
};
