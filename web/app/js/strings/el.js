// The interface text in Greek (machine-made, not yet checked by a native speaker: see
// UNREVIEWED in ../strings.js). Keys missing here fall back to English.
export default {
  'answer.yes': 'Ναι',
  'answer.no': 'Όχι',
  'answer.unknown': 'Δεν γνωρίζω',
  'answer.declined': 'Αρνείται να απαντήσει',
};
