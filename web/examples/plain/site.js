// The NGO page's own code: it decides what to do with the sealed package (here: offer it as a
// download). It only ever gets counts and ciphertext from the widget.
const report = document.getElementById('report');

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
