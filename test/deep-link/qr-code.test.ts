import { createRequire } from 'node:module';
import { expect, test } from 'vitest';
import { qrCodePng, qrCodeText } from '../../lib/deep-link/qr-code.js';
import { decodeQrPng } from '../support/qr.js';

const loadedModules = () => Object.keys(createRequire(import.meta.url).cache);
const qrLibraryLoaded = () => loadedModules().some((path) => /[/\\]node_modules[/\\]qrcode[/\\]/.test(path));

test('the QR library loads with the first code, not with the module', async () => {
  expect(qrLibraryLoaded()).toBe(false);
  const link = 'https://t.me/service_desk_test_bot?start=n1-10-100-QnVpbGRpbmcgMywgbGlmdCBC';
  const png = await qrCodePng(link);
  expect(qrLibraryLoaded()).toBe(true);
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(decodeQrPng(png)).toBe(link);
});

test('a smaller code still decodes; the terminal drawing is text', async () => {
  const link = 'https://t.me/service_desk_test_bot?start=n1-10-100-yu7w7_PxIDMsIOvo9PIgwQ';
  expect(decodeQrPng(await qrCodePng(link, { widthPx: 300 }))).toBe(link);
  expect(await qrCodeText(link)).toMatch(/[█▀▄]/);
});
