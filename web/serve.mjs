// Serves the built web front end on two origins, as a deployment would (docs/web.md):
//
//   the widget origin   build/web/app: the field app (index.html), the widget frame (embed.html)
//                       and the loader (widget/indicia-widget.js), with the security headers a
//                       deployment sends (CSP with frame-ancestors, no referrer, nosniff)
//   the NGO's site      web/examples/plain at /: an NGO page that embeds the widget with one
//                       snippet; build/web/examples/vite at /vite/: the same page bundled by Vite
//                       with the loader from the npm package @indicia/web
//
// `node web/serve.mjs [--port N]` (scripts/serve) serves them on N and N+1 until stopped; the
// browser tests import `startServers` and give their own settings. Nothing here is needed in
// production: any static server that sends the same headers will do.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../', import.meta.url));

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  // Compiled checklists (checklists/ID.LANG.bin, docs/formats/compiled-checklist.md).
  '.bin': 'application/octet-stream',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.txt': 'text/plain; charset=utf-8',
};

/** The widget origin's Content-Security-Policy; `ancestors`: who may frame the page. */
function appPolicy(ancestors) {
  return [
    "default-src 'self'",
    // 'wasm-unsafe-eval' compiles the core; JavaScript eval stays forbidden.
    "script-src 'self' 'wasm-unsafe-eval'",
    "worker-src 'self'",
    "style-src 'self'",
    "img-src 'self' blob:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${ancestors.length ? ancestors.join(' ') : "'none'"}`,
  ].join('; ');
}

/** The file under `root` for a URL path, or null for anything outside it. */
function fileUnder(root, urlPath) {
  let path;
  try {
    path = normalize(decodeURIComponent(urlPath));
  } catch {
    return null;
  }
  const file = join(root, path === '/' ? 'index.html' : path.slice(1));
  if (!file.startsWith(root + sep)) return null;
  if (existsSync(file) && statSync(file).isDirectory()) return join(file, 'index.html');
  return file;
}

function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server.address().port));
  });
}

/**
 * Starts the widget origin and the NGO site.
 * @param {object} [options]
 * @param {string} [options.appDir] the built app (default build/web/app)
 * @param {string} [options.viteDir] the built Vite example, served at /vite/ (default
 *   build/web/examples/vite)
 * @param {number} [options.port] the widget origin's port (0: any free one); the site uses the next
 *   free one
 * @param {string} [options.hostname] the name both are reached by (default localhost: a domain,
 *   which WebAuthn needs, and a secure context without TLS)
 * @param {object} [options.config] settings merged over the app's config.json (the NGO site's
 *   origin is always added to hostOrigins)
 * @param {(origin: string, url: URL) => void} [options.onRequest] sees every request
 * @returns {Promise<{ appOrigin: string, siteOrigin: string, close: () => Promise<void> }>}
 */
export async function startServers({ appDir = join(repo, 'build/web/app'), viteDir = join(repo, 'build/web/examples/vite'), port = 0, hostname = 'localhost', config = {}, onRequest } = {}) {
  if (!existsSync(join(appDir, 'index.html'))) throw new Error(`${appDir} has no app: run scripts/build-web first`);
  const siteDir = join(repo, 'web/examples/plain');
  const origins = {};
  const send = (res, status, headers, body) => {
    res.writeHead(status, { 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', ...headers });
    res.end(body);
  };

  // The settings the app is served with: its config.json, `config` over it, and the NGO site among
  // the host origins. The frame's checks and its frame-ancestors header both come from here.
  const settings = () => {
    const base = JSON.parse(readFileSync(join(appDir, 'config.json'), 'utf8'));
    return { ...base, ...config, hostOrigins: [...new Set([...(config.hostOrigins ?? base.hostOrigins ?? []), origins.site])] };
  };

  const app = createServer((req, res) => {
    const url = new URL(req.url, origins.app);
    onRequest?.(origins.app, url);
    if (url.pathname === '/config.json') {
      send(res, 200, { 'Content-Type': MIME['.json'], 'Cross-Origin-Resource-Policy': 'same-origin' }, JSON.stringify(settings()));
      return;
    }
    const file = fileUnder(appDir, url.pathname);
    if (!file || !existsSync(file) || !MIME[extname(file)]) return send(res, 404, {}, '');
    const widgetLoader = url.pathname.startsWith('/widget/');
    send(res, 200, {
      'Content-Type': MIME[extname(file)],
      'Content-Security-Policy': appPolicy(url.pathname === '/embed.html' ? settings().hostOrigins : []),
      // The loader is fetched by NGO pages (a module script: CORS); nothing else leaves the origin.
      ...(widgetLoader ? { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' } : { 'Cross-Origin-Resource-Policy': 'same-origin' }),
      'Permissions-Policy': 'camera=(self), microphone=(), geolocation=(), payment=()',
      ...(url.pathname === '/embed.html' ? {} : { 'Cross-Origin-Opener-Policy': 'same-origin' }),
    }, readFileSync(file));
  });

  const site = createServer((req, res) => {
    const url = new URL(req.url, origins.site);
    onRequest?.(origins.site, url);
    // Chromium asks for a favicon on its own; a 404 would show up as a console error.
    if (url.pathname === '/favicon.ico') return send(res, 204, {}, '');
    // The Vite example's assets are relative to its page: /vite must end in a slash.
    if (url.pathname === '/vite') return send(res, 301, { Location: '/vite/' }, '');
    const file = url.pathname.startsWith('/vite/') ? fileUnder(viteDir, url.pathname.slice('/vite'.length)) : fileUnder(siteDir, url.pathname);
    if (!file || !existsSync(file) || !MIME[extname(file)]) return send(res, 404, {}, '');
    // The example pages name the widget origin as %WIDGET_ORIGIN%; a real site writes it in (the
    // Vite example at build time, from VITE_INDICIA_ORIGIN).
    const body = readFileSync(file, 'utf8').replaceAll('%WIDGET_ORIGIN%', origins.app);
    send(res, 200, {
      'Content-Type': MIME[extname(file)],
      'Content-Security-Policy': `default-src 'self'; script-src 'self' ${origins.app}; frame-src ${origins.app}; style-src 'self'; img-src 'self' blob:; object-src 'none'; base-uri 'none'`,
    }, body);
  });

  const appPort = await listen(app, port, '127.0.0.1');
  origins.app = `http://${hostname}:${appPort}`;
  const sitePort = await listen(site, port ? port + 1 : 0, '127.0.0.1');
  origins.site = `http://${hostname}:${sitePort}`;
  return {
    appOrigin: origins.app,
    siteOrigin: origins.site,
    close: () => Promise.all([app, site].map((server) => new Promise((resolve) => server.close(resolve)))).then(() => {}),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--port');
  const port = at > 0 ? Number(process.argv[at + 1]) : 8480;
  const { appOrigin, siteOrigin } = await startServers({ port });
  console.log(`Field app (install it from here):   ${appOrigin}/`);
  console.log(`Example NGO site with the widget:   ${siteOrigin}/`);
  console.log(`The same, bundled with Vite:        ${siteOrigin}/vite/`);
  console.log('Offline: nothing here reaches the network. Ctrl-C stops.');
}
