// The interface text in Ukrainian (machine-made, not yet checked by a native speaker: see
// UNREVIEWED in ../strings.js). Keys missing here fall back to English.
export default {
  'answer.yes': 'Так',
  'answer.no': 'Ні',
  'answer.unknown': 'Невідомо',
  'answer.declined': 'Відмовляється відповідати',
};
