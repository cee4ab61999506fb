// The interface text in Arabic (machine-made, not yet checked by a native speaker: see
// UNREVIEWED in ../strings.js), the right-to-left language the app is tested with. Keys missing
// here fall back to English. No built-in checklist is in Arabic yet.
export default {
  'app.exit': 'خروج',
  'app.lock': 'قفل',
};
