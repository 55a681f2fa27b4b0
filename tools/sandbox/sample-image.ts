// A real picture (a PNG a browser draws) for the sandbox's agent, the tests and the screenshots:
// the demo backend's own sample is a single pixel, and the fake Bot API makes bytes that only start like a photo.
import { PNG } from 'pngjs';

/** A `width`×`height` PNG: a sky-to-sea gradient with a sun, so a screenshot shows something. */
export function samplePng(width = 320, height = 200): Buffer {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (width * y + x) * 4;
      const sun = (x - width * 0.7) ** 2 + (y - height * 0.35) ** 2 < (height * 0.12) ** 2;
      const sea = y > height * 0.6;
      png.data[i] = sun ? 255 : sea ? 30 : 120 + Math.round((80 * y) / height);
      png.data[i + 1] = sun ? 200 : sea ? 90 + Math.round((60 * x) / width) : 170;
      png.data[i + 2] = sun ? 60 : sea ? 160 : 230;
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}
