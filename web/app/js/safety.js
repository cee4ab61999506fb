// Safety in use: the quick exit (the GOV.UK "Exit this page" pattern: a visible button and Shift
// pressed three times) and the automatic lock when the app is hidden or left idle.
//
// The exit clears the screen, ends the worker that holds the keys, and replaces the history entry
// with a neutral page, so Back does not return here and the task switcher shows the neutral page.

const SHIFT_PRESSES = 3;
const SHIFT_WINDOW_MS = 2000;
const IDLE_EVENTS = ['pointerdown', 'keydown', 'input', 'scroll', 'touchstart'];

/**
 * @param {object} options
 * @param {string} options.exitUrl where the exit goes (a neutral page)
 * @param {number} options.lockAfterHiddenSeconds hidden this long (another app in front) locks
 * @param {number} options.lockAfterIdleSeconds no input this long locks
 * @param {() => void} options.exit ends what holds secrets (the store worker)
 * @param {() => void} options.lock locks the store
 */
export function installSafety({ exitUrl, lockAfterHiddenSeconds, lockAfterIdleSeconds, exit, lock }) {
  const leave = () => {
    try {
      exit();
    } finally {
      document.title = '';
      document.body.replaceChildren();
      window.location.replace(new URL(exitUrl, window.location.href).href);
    }
  };
  document.getElementById('exit').addEventListener('click', leave);

  let presses = [];
  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Shift' || event.repeat) return;
    const now = performance.now();
    presses = [...presses.filter((at) => now - at < SHIFT_WINDOW_MS), now];
    if (presses.length >= SHIFT_PRESSES) leave();
  });

  // Hidden: timers are throttled in a hidden page, so the time is checked again when it shows.
  let hiddenAt = null;
  let hiddenTimer = null;
  document.addEventListener('visibilitychange', () => {
    clearTimeout(hiddenTimer);
    if (document.visibilityState === 'hidden') {
      hiddenAt = performance.now();
      if (lockAfterHiddenSeconds <= 0) lock();
      else hiddenTimer = setTimeout(lock, lockAfterHiddenSeconds * 1000);
    } else if (hiddenAt !== null && performance.now() - hiddenAt >= lockAfterHiddenSeconds * 1000) {
      lock();
    }
  });

  let idleTimer = null;
  const restartIdle = () => {
    clearTimeout(idleTimer);
    if (lockAfterIdleSeconds > 0) idleTimer = setTimeout(lock, lockAfterIdleSeconds * 1000);
  };
  for (const type of IDLE_EVENTS) document.addEventListener(type, restartIdle, { passive: true, capture: true });
  restartIdle();
}
