// The widget frame's side of the host protocol (docs/web.md, "The widget protocol"). The frame
// runs on the widget's own origin inside an NGO's page; everything sensitive stays here (PIN,
// answers, notes, keys, decrypted cases). The host page can only
//   - connect: send { indicia: 1, type: 'connect', checklist?, language?, unit? } with a
//     MessagePort, from an origin the deployment lists in config.json `hostOrigins`;
//   - confirm delivery: { type: 'delivered', reportId } on the port once it holds a package;
// and it only ever receives
//   - { type: 'ready' }                           the frame is connected
//   - { type: 'progress', answered, visible }     counts, no answers
//   - { type: 'sealed', reportId, fileName, package }   the age-encrypted package (ArrayBuffer)
//   - { type: 'locked' }                          the store locked (idle, hidden)
//   - { type: 'exit' }                            the worker pressed Exit: leave the page now
// Nothing else crosses: no text the worker typed, no case title, no question id, no frame size
// (a height that follows the visible questions would tell which answers were given).

const PROTOCOL = 1;
/** A built-in checklist's id, as the host may name it and the app fetches it (checklists/ID.json). */
export const CHECKLIST_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
const LANGUAGE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;
const KEY_ID = /^[0-9a-f]{32}$/;

// The host connects when the frame's load event fires, which can be before the app has read its
// settings: messages are kept from the moment this module is evaluated and checked once it has.
const early = [];
const keep = (event) => early.push(event);
window.addEventListener('message', keep);

/**
 * Waits for the host's connect message (only from `allowedOrigins`, only from the parent window,
 * only once) and returns { options, send, onDelivered } or never resolves if no allowed host
 * connects. `options`: the host's checklist, language and unit, each checked for shape (anything
 * else is dropped, never echoed).
 */
export function connectToHost(allowedOrigins) {
  return new Promise((resolve) => {
    const onMessage = (event) => {
      if (event.source !== window.parent || !allowedOrigins.includes(event.origin)) return;
      const data = event.data;
      const port = event.ports?.[0];
      if (data?.indicia !== PROTOCOL || data.type !== 'connect' || !port) return;
      window.removeEventListener('message', onMessage);
      const deliveredHandlers = [];
      port.addEventListener('message', ({ data: message }) => {
        if (message?.type === 'delivered' && typeof message.reportId === 'string') {
          for (const handler of deliveredHandlers) handler(message.reportId);
        }
      });
      port.start();
      const options = {
        checklist: typeof data.checklist === 'string' && CHECKLIST_ID.test(data.checklist) ? data.checklist : undefined,
        language: typeof data.language === 'string' && LANGUAGE.test(data.language) ? data.language : undefined,
        unit: typeof data.unit === 'string' && KEY_ID.test(data.unit) ? data.unit : undefined,
      };
      resolve({
        options,
        /** Sends one of the messages above; `transfer`: the package's buffer. */
        send: (message, transfer = []) => port.postMessage({ indicia: PROTOCOL, ...message }, transfer),
        onDelivered: (handler) => deliveredHandlers.push(handler),
      });
    };
    window.removeEventListener('message', keep);
    window.addEventListener('message', onMessage);
    for (const event of early.splice(0)) onMessage(event);
  });
}
