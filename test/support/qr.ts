// Reads a QR code back from a PNG, as a phone's camera would: the tests check that what the bot
// and `npm run link` print decodes to the link they claim.
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';

// jsqr is CommonJS with an ES-style default export in its types: under NodeNext the default import is
// the module object, at run time it is the function (which also carries `.default`).
const jsQR = (jsQRModule as unknown as { default: typeof jsQRModule.default }).default;

export function decodeQrPng(png: Buffer): string | undefined {
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data;
}
