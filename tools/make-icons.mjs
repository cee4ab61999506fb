// Renders web/app/icons/icon.svg to the PNG sizes the web app manifest lists (Chromium asks for a
// 192 and a 512 px icon before it offers to install; "maskable" keeps the drawing inside the
// central 80 % that launchers may crop to). Run after changing the SVG:
//   node tools/make-icons.mjs
// A deployment that brings its own icon replaces these files (docs/web.md).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = fileURLToPath(new URL('../', import.meta.url));
const { chromium } = await import(pathToFileURL(join(repo, 'tools/node_modules/playwright-core/index.mjs')).href);
const dir = join(repo, 'web/app/icons');
const svg = readFileSync(join(dir, 'icon.svg'), 'utf8');
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });
const page = await browser.newPage();
for (const [file, size, maskable] of [['icon-192.png', 192, false], ['icon-512.png', 512, false], ['icon-maskable-512.png', 512, true]]) {
  await page.setViewportSize({ width: size, height: size });
  const inner = maskable ? size * 0.8 : size;
  await page.setContent(
    `<body style="margin:0;background:${maskable ? '#1d2330' : 'transparent'};display:grid;place-items:center;height:${size}px">` +
      `<img style="width:${inner}px;height:${inner}px" src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}"></body>`,
  );
  await page.screenshot({ path: join(dir, file), omitBackground: !maskable });
}
await browser.close();
