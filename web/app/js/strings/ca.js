// The interface text in Catalan (machine-made, not yet checked by a native speaker: see
// UNREVIEWED in ../strings.js). Keys missing here fall back to English.
export default {
  'answer.yes': 'Sí',
  'answer.no': 'No',
  'answer.unknown': 'No se sap',
  'answer.declined': 'Prefereix no respondre',
};
