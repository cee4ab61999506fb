// The interface text in Polish (machine-made, not yet checked by a native speaker: see
// UNREVIEWED in ../strings.js). Keys missing here fall back to English.
export default {
  'answer.yes': 'Tak',
  'answer.no': 'Nie',
  'answer.unknown': 'Nie wiadomo',
  'answer.declined': 'Odmowa odpowiedzi',
};
