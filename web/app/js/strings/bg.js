// The interface text in Bulgarian (machine-made, not yet checked by a native speaker: see
// UNREVIEWED in ../strings.js). Keys missing here fall back to English.
export default {
  'answer.yes': 'Да',
  'answer.no': 'Не',
  'answer.unknown': 'Не знам',
  'answer.declined': 'Отказва да отговори',
};
