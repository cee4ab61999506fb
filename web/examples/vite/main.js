// The NGO page's own code, bundled by Vite: the loader comes from the npm package (importing it
// defines <indicia-report>), and the page decides what to do with the sealed package (here: offer
// it as a download). It only ever gets counts and ciphertext from the widget.
import '@indicia/web/widget';
import './site.css';

/** @type {import('@indicia/web/widget').IndiciaReport} */
const report = document.querySelector('indicia-report#report');

report.addEventListener('indicia-progress', ({ detail }) => {
  document.getElementById('progress').textContent = `${detail.answered} of ${detail.visible} answered`;
});

report.addEventListener('indicia-sealed', ({ detail }) => {
  const link = document.getElementById('save');
  link.href = URL.createObjectURL(detail.package);
  link.download = detail.fileName;
  document.getElementById('sealed').hidden = false;
  // This page now holds the package: the widget may mark the case sealed.
  report.delivered(detail.reportId);
});
