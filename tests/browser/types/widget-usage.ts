// What an NGO page written in TypeScript does with @indicia/web/widget: it must type-check under
// --strict against the package's hand-written declarations (web/widget/indicia-widget.d.ts), and
// each line marked @ts-expect-error must be an error (tsc fails on an unused one).
import '@indicia/web/widget';
import { IndiciaReport, type IndiciaSealedDetail } from '@indicia/web/widget';

// The tag name gives the element's class.
const created: IndiciaReport = document.createElement('indicia-report');
created.setAttribute('src', 'https://report.example.org/v0.1.0/embed.html');
created.setAttribute('checklist', 'first-contact');
document.body.append(created);

const found = document.querySelector('indicia-report');
if (found) {
  found.addEventListener('indicia-sealed', (event) => {
    const pkg: Blob = event.detail.package;
    const name: string = event.detail.fileName;
    void upload(pkg, name).then(() => found.delivered(event.detail.reportId));
  });
  found.addEventListener('indicia-progress', ({ detail }) => {
    const share: number = detail.answered / detail.visible;
    console.log(share);
  });
  found.addEventListener('indicia-exit', (event) => {
    const cancelable: boolean = event.cancelable;
    if (cancelable) event.preventDefault();
  });
  found.addEventListener('indicia-ready', (event) => console.log(event.detail));
  found.addEventListener('indicia-locked', () => console.log('locked'));
  // The element's ordinary events keep their own types.
  found.addEventListener('click', (event) => console.log(event.clientX));

  // @ts-expect-error the package is `package`, not `pakage`
  found.addEventListener('indicia-sealed', (event) => console.log(event.detail.pakage));
  // @ts-expect-error progress carries counts only: there is no answer text
  found.addEventListener('indicia-progress', (event) => console.log(event.detail.answers));
  // @ts-expect-error delivered takes the report id
  found.delivered();
}

// Any element reference (here from getElementById) has the events typed as well.
const byId = document.getElementById('report');
byId?.addEventListener('indicia-sealed', (event) => {
  const detail: IndiciaSealedDetail = event.detail;
  console.log(detail.reportId.length);
});

customElements.whenDefined('indicia-report').then(() => {
  const cls: typeof IndiciaReport = IndiciaReport;
  console.log(cls.observedAttributes.includes('src'));
});

async function upload(pkg: Blob, name: string): Promise<void> {
  await fetch(`/reports/${encodeURIComponent(name)}`, { method: 'POST', body: pkg });
}
