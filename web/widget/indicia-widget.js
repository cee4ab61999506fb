// The Indicia widget loader: what an NGO's own page includes. It holds no secret and sees no
// plaintext: it puts the widget frame (served from the widget's own origin) on the page, passes
// the settings, and turns the frame's messages into DOM events that carry only counts and the
// sealed (age-encrypted) package. Protocol and threat model: docs/web.md, docs/threat-model.md.
//
//   <script type="module" src="https://widget.example.org/widget/indicia-widget.js"></script>
//   <indicia-report src="https://widget.example.org/embed.html" checklist="first-contact"
//                   language="sk" unit="0123…(32 hex digits)" exit-url="https://www.bbc.com/weather"></indicia-report>
//
// Events (on the element):
//   indicia-ready                       the frame is connected
//   indicia-progress   detail { answered, visible }
//   indicia-sealed     detail { reportId, fileName, package: Blob }   call element.delivered(reportId)
//                                       once the package is stored or sent: the case is then sealed
//   indicia-locked                      the store locked itself
//   indicia-exit       (cancelable)     the worker pressed Exit; unless cancelled the page is
//                                       replaced by exit-url (default about:blank) at once
//
// Without a bundler, load this file as a module; with one, `import '@indicia/web/widget'`.

const PROTOCOL = 1;

export class IndiciaReport extends HTMLElement {
  static observedAttributes = ['src'];

  #frame = null;
  #port = null;

  connectedCallback() {
    if (this.#frame) return;
    const src = this.getAttribute('src');
    if (!src) throw new Error('indicia-report: the src attribute (the widget frame URL) is required');
    const url = new URL(src, document.baseURI);
    const frame = document.createElement('iframe');
    frame.src = url.href;
    frame.title = this.getAttribute('frame-title') ?? 'Report form';
    // The passkey (WebAuthn) and the camera work in a cross-origin frame only when the page
    // delegates them to the widget's origin.
    frame.allow = [
      'publickey-credentials-get',
      'publickey-credentials-create',
      'camera',
      'clipboard-write',
    ].map((feature) => `${feature} ${url.origin}`).join('; ');
    frame.referrerPolicy = 'no-referrer';
    frame.style.cssText = 'display:block;width:100%;height:100%;min-height:32rem;border:0';
    frame.addEventListener('load', () => this.#connect(frame, url.origin), { once: true });
    this.#frame = frame;
    this.replaceChildren(frame);
  }

  disconnectedCallback() {
    this.#port?.close();
    this.#port = null;
    this.#frame?.remove();
    this.#frame = null;
  }

  /** Tells the frame the package of `reportId` is stored or sent (the case becomes sealed). */
  delivered(reportId) {
    this.#port?.postMessage({ indicia: PROTOCOL, type: 'delivered', reportId: String(reportId) });
  }

  #connect(frame, origin) {
    const channel = new MessageChannel();
    this.#port = channel.port1;
    channel.port1.addEventListener('message', ({ data }) => this.#receive(data));
    channel.port1.start();
    const settings = {};
    for (const name of ['checklist', 'language', 'unit']) {
      const value = this.getAttribute(name);
      if (value) settings[name] = value;
    }
    // Addressed to the widget's origin only: a frame that navigated elsewhere gets nothing.
    frame.contentWindow.postMessage({ indicia: PROTOCOL, type: 'connect', ...settings }, origin, [channel.port2]);
  }

  #receive(data) {
    if (data?.indicia !== PROTOCOL) return;
    switch (data.type) {
      case 'ready':
        this.dispatchEvent(new CustomEvent('indicia-ready'));
        break;
      case 'progress':
        this.dispatchEvent(new CustomEvent('indicia-progress', { detail: { answered: Number(data.answered), visible: Number(data.visible) } }));
        break;
      case 'sealed':
        this.dispatchEvent(
          new CustomEvent('indicia-sealed', {
            detail: {
              reportId: String(data.reportId),
              fileName: String(data.fileName),
              package: new Blob([data.package], { type: 'application/octet-stream' }),
            },
          }),
        );
        break;
      case 'locked':
        this.dispatchEvent(new CustomEvent('indicia-locked'));
        break;
      case 'exit':
        if (this.dispatchEvent(new CustomEvent('indicia-exit', { cancelable: true }))) {
          window.location.replace(this.getAttribute('exit-url') ?? 'about:blank');
        }
        break;
      default:
        break;
    }
  }
}

if (!customElements.get('indicia-report')) customElements.define('indicia-report', IndiciaReport);
