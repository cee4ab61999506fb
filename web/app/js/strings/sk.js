// The interface text in Slovak (machine-made, not yet checked by a native speaker: see
// UNREVIEWED in ../strings.js). Keys missing here fall back to English.
export default {
  'answer.yes': 'Áno',
  'answer.no': 'Nie',
  'answer.unknown': 'Neviem',
  'answer.declined': 'Odmietol/a odpovedať',
};
