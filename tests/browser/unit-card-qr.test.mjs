// Set-up from the unit card's QR code (`indicia unit-card --qr png`): read from a photo, and live
// from the camera — Chromium's fake camera plays a video made from the same PNG. Either way the
// app shows the fingerprint `indicia unit-card` printed, and the camera is off once the code is
// read, when the worker stops it and when the app locks. The decoder is loaded only when used.
import test, { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { appReady, enterPin, onScreen, snap, startWeb, violations } from './app.mjs';
import { cli, receivingUnit, repo } from './support.mjs';

const { PNG } = createRequire(join(repo, 'tools/node_modules/'))('pngjs');

const PASSPHRASE = 'tidal-amber-orchard';
let tempDir;
let unit;
let qrPng; // the card's QR code as the CLI draws it
let web;

/**
 * A Y4M video (what Chromium's fake camera plays, looping) of `png` on a light background,
 * `frames` frames of 1280 × 720, greyscale (4:2:0 with neutral colour).
 */
function y4mOf(png, frames = 2) {
  const [width, height] = [1280, 720];
  const image = PNG.sync.read(png);
  assert.ok(image.width <= width && image.height <= height, `the code (${image.width} px) fits the frame`);
  const luma = Buffer.alloc(width * height, 220); // a light grey table
  const [left, top] = [Math.floor((width - image.width) / 2), Math.floor((height - image.height) / 2)];
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const i = (y * image.width + x) * 4;
      const grey = Math.round(0.299 * image.data[i] + 0.587 * image.data[i + 1] + 0.114 * image.data[i + 2]);
      luma[(top + y) * width + left + x] = 16 + Math.round((grey * 219) / 255); // video range
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma]);
  return Buffer.concat([Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`), ...Array(frames).fill(frame)]);
}

before(async () => {
  tempDir = mkdtempSync(join(tmpdir(), 'indicia-qr-'));
  const dir = join(tempDir, 'unit');
  unit = receivingUnit(dir, 'Národná jednotka THB');
  const pngFile = join(tempDir, 'card.png');
  const made = spawnSync(cli, ['unit-card', '--db', unit.db, '--passphrase-file', join(dir, 'passphrase'), '--qr', 'png', '-o', pngFile]);
  assert.equal(made.status, 0, `indicia unit-card --qr png failed: ${made.stderr}`);
  assert.match(made.stderr.toString(), new RegExp(`card fingerprint ${unit.fingerprint}`));
  qrPng = readFileSync(pngFile);
  const video = join(tempDir, 'camera.y4m');
  writeFileSync(video, y4mOf(qrPng));
  mkdirSync(join(tempDir, 'profile'), { recursive: true });
  web = await startWeb({ organisation: 'sk.example-ngo' }, {
    args: ['--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`, '--use-fake-ui-for-media-stream'],
  });
});

after(async () => {
  await web?.close();
  if (tempDir) rmSync(tempDir, { recursive: true, force: true });
});

/** Records every camera stream the page opens (window.__streams), to check that each is ended. */
async function recordStreams(context) {
  await context.addInitScript(() => {
    window.__streams = [];
    const open = MediaDevices.prototype.getUserMedia;
    MediaDevices.prototype.getUserMedia = async function (...args) {
      const stream = await open.apply(this, args);
      window.__streams.push(stream);
      await window.__cameraAsked; // a test may hold the answer back, as a permission prompt does
      return stream;
    };
  });
}

const liveTracks = (page) => page.evaluate(() => window.__streams.flatMap((s) => s.getTracks()).filter((t) => t.readyState === 'live').length);
const openedStreams = (page) => page.evaluate(() => window.__streams.length);

/** A new device up to the set-up screen. */
async function newDevice(options) {
  const opened = await web.open(`${web.appOrigin}/`, { ...options, beforeLoad: recordStreams });
  const { page } = opened;
  await appReady(page);
  await onScreen(page, 'lock');
  await enterPin(page, PASSPHRASE);
  await onScreen(page, 'setup');
  return opened;
}

/** Whether the page has loaded the QR decoder (the service worker precaches it: that is not the
 * page loading it). */
const decoderLoaded = (page) => page.evaluate(() => performance.getEntriesByType('resource').some((e) => new URL(e.name).pathname.endsWith('/vendor/qr.js')));

test('a photo of the unit card QR code shows the fingerprint the unit printed', async () => {
  const { page, done } = await newDevice();
  assert.equal(await decoderLoaded(page), false, 'the QR decoder is not loaded before it is needed');
  // A photo with no code in it says so.
  await page.locator('#setup-qr-photo').setInputFiles({ name: 'blank.png', mimeType: 'image/png', buffer: PNG.sync.write(new PNG({ width: 64, height: 64, fill: true })) });
  await page.locator('#setup-error:not([hidden])', { hasText: 'No QR code' }).waitFor();
  assert.equal(await decoderLoaded(page), true);

  await page.locator('#setup-qr-photo').setInputFiles({ name: 'IMG_2041.png', mimeType: 'image/png', buffer: qrPng });
  await page.locator('#setup-fingerprint', { hasText: unit.fingerprint }).waitFor();
  assert.equal(await page.locator('#setup-unit-name').textContent(), 'Národná jednotka THB', 'the name, UTF-8, as the unit wrote it');
  assert.equal(await page.locator('#setup-error').isHidden(), true);
  await page.locator('#setup-matches').click();
  await onScreen(page, 'cases');
  await page.locator('#unit-list li', { hasText: unit.fingerprint }).waitFor();
  assert.equal(await openedStreams(page), 0, 'a photo never opens the camera');
  await done();
});

test('the camera reads the unit card QR code, shows its fingerprint and is off at once', async () => {
  const { page, done } = await newDevice({ contextOptions: { permissions: ['camera'], bypassCSP: true } });
  await snap(page, 'field-qr-setup');
  await page.locator('#setup-scan').click();
  await page.locator('#setup-fingerprint', { hasText: unit.fingerprint }).waitFor({ timeout: 20_000 });
  await snap(page, 'field-qr-fingerprint');
  assert.equal(await openedStreams(page), 1);
  assert.equal(await liveTracks(page), 0, 'the camera is off once the code is read');
  assert.equal(await page.locator('#setup-camera').isHidden(), true);
  assert.equal(await page.locator('#setup-matches').evaluate((b) => b === document.activeElement), true, 'focus on the fingerprint check');
  await page.locator('#setup-matches').click();
  await onScreen(page, 'cases');
  await page.locator('#unit-list li', { hasText: unit.fingerprint }).waitFor();
  await done();
});

test('the camera goes off when the worker stops it or the app locks (also while it is being asked for), and its screen passes axe', async () => {
  const { page, done } = await newDevice({ contextOptions: { permissions: ['camera'], bypassCSP: true } });
  // The fake camera always shows the code: every frame is blanked before decoding, so the camera
  // stays on until the test stops it.
  await page.evaluate(() => {
    const read = CanvasRenderingContext2D.prototype.getImageData;
    CanvasRenderingContext2D.prototype.getImageData = function (...args) {
      const image = read.apply(this, args);
      image.data.fill(255);
      return image;
    };
  });
  await page.locator('#setup-scan').click();
  await page.locator('#setup-camera:not([hidden])').waitFor();
  await page.waitForFunction(() => window.__streams[0]?.getVideoTracks()[0]?.readyState === 'live');
  await page.waitForFunction(() => document.getElementById('setup-preview').height > 0);
  await page.waitForTimeout(300); // a few frames drawn
  await snap(page, 'field-qr-camera');
  assert.deepEqual(await violations(page), [], 'the set-up screen with the camera on');
  assert.equal(await page.locator('#setup-scan-stop').evaluate((b) => b === document.activeElement), true, 'focus on the stop button');
  await page.locator('#setup-scan-stop').click();
  assert.equal(await liveTracks(page), 0, 'stopped by the worker');
  assert.equal(await page.locator('#setup-camera').isHidden(), true);
  assert.equal(await page.locator('#setup-scan').isVisible(), true);

  // On again, then the app is locked: the camera goes off with the screen.
  await page.locator('#setup-scan').click();
  await page.waitForFunction(() => window.__streams[1]?.getVideoTracks()[0]?.readyState === 'live');
  await page.locator('#lock').click();
  await onScreen(page, 'lock');
  assert.equal(await liveTracks(page), 0, 'stopped by the lock');
  assert.equal(await page.locator('#setup-fingerprint').textContent(), '', 'nothing was read meanwhile');

  // Locked while the browser still asks for the camera: the camera it then gives goes off at once.
  await enterPin(page, PASSPHRASE);
  await onScreen(page, 'setup');
  await page.evaluate(() => {
    window.__cameraAsked = new Promise((resolve) => (window.__answerCamera = resolve));
  });
  await page.locator('#setup-scan').click();
  await page.waitForFunction(() => window.__streams.length === 3);
  await page.locator('#lock').click();
  await onScreen(page, 'lock');
  await page.evaluate(() => window.__answerCamera());
  await page.waitForFunction(() => window.__streams[2].getTracks().every((t) => t.readyState === 'ended'));
  assert.equal(await page.locator('#setup-camera').isHidden(), true);
  await done();
});
