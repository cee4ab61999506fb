// Types for the Indicia widget loader (indicia-widget.js), written by hand: `import
// '@indicia/web/widget'` defines <indicia-report>; these declarations give it, its attributes and
// its events to TypeScript. Protocol and events: docs/web.md ("For an NGO web team").

/** `indicia-progress`: how many of the questions now shown are answered (nothing else). */
export interface IndiciaProgressDetail {
  readonly answered: number;
  readonly visible: number;
}

/** `indicia-sealed`: the age-encrypted report package, which only the receiving unit can open. */
export interface IndiciaSealedDetail {
  /** Pass to `delivered()` once the package is stored or sent. */
  readonly reportId: string;
  /** A neutral file name for the package (e.g. for a download). */
  readonly fileName: string;
  /** The ciphertext (`application/octet-stream`). */
  readonly package: Blob;
}

/** The element's events and what each carries. */
export interface IndiciaReportEventMap {
  /** The frame is connected. */
  'indicia-ready': CustomEvent<null>;
  'indicia-progress': CustomEvent<IndiciaProgressDetail>;
  /** Call `element.delivered(detail.reportId)` once the package is stored or sent. */
  'indicia-sealed': CustomEvent<IndiciaSealedDetail>;
  /** The store in the frame locked itself. */
  'indicia-locked': CustomEvent<null>;
  /** The worker pressed Exit. Cancelable: unless cancelled, the page is replaced by `exit-url` at once. */
  'indicia-exit': CustomEvent<null>;
}

/** The attributes `<indicia-report>` reads (it reads them when it is connected). */
export interface IndiciaReportAttributes {
  /** Required: the widget frame, `embed.html` on the widget's own origin. */
  src: string;
  /** A built-in checklist id, e.g. `first-contact`. */
  checklist?: string;
  /** The interface and checklist language, a language tag such as `es`. */
  language?: string;
  /** The receiving unit's signing key id (32 hex digits), one of the deployment's unit cards. */
  unit?: string;
  /** Where the quick exit goes (default `about:blank`). */
  'exit-url'?: string;
  /** The frame's accessible title (default "Report form"). */
  'frame-title'?: string;
}

/**
 * `<indicia-report>`: puts the widget frame on the page and turns its messages into DOM events
 * that carry only counts and the sealed package.
 */
export declare class IndiciaReport extends HTMLElement {
  static readonly observedAttributes: string[];
  connectedCallback(): void;
  disconnectedCallback(): void;
  /** Tells the frame the package of `reportId` is stored or sent: the case becomes sealed there. */
  delivered(reportId: string): void;

  addEventListener<K extends keyof IndiciaReportEventMap>(
    type: K,
    listener: (this: IndiciaReport, event: IndiciaReportEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener<K extends keyof HTMLElementEventMap>(
    type: K,
    listener: (this: IndiciaReport, event: HTMLElementEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof IndiciaReportEventMap>(
    type: K,
    listener: (this: IndiciaReport, event: IndiciaReportEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener<K extends keyof HTMLElementEventMap>(
    type: K,
    listener: (this: IndiciaReport, event: HTMLElementEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

declare global {
  interface HTMLElementTagNameMap {
    'indicia-report': IndiciaReport;
  }
  // The events are dispatched on the element (they do not bubble); typed on every element, so a
  // reference from getElementById or querySelector('#id') type-checks as well.
  interface HTMLElementEventMap extends IndiciaReportEventMap {}
}
