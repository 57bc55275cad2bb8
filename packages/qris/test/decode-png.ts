// Test helper: reads a QR code back from a PNG with jsQR, the way a phone camera would.
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';

// jsqr ships CommonJS with an ES-style default export; under NodeNext typings the default import is
// the module object, at run time it is the function. Accept both.
const jsQR = ((jsQRModule as unknown as { default?: unknown }).default ??
  jsQRModule) as unknown as typeof jsQRModule.default;

/** The text in the QR code of `png` (decoded as UTF-8), the image width and the QR version. */
export function decodeQrPng(png: Buffer): { text: string; width: number; version: number } {
  const image = PNG.sync.read(png);
  const result = jsQR(new Uint8ClampedArray(image.data), image.width, image.height);
  if (!result) throw new Error('jsQR found no QR code in the image');
  return {
    text: new TextDecoder().decode(new Uint8Array(result.binaryData)),
    width: image.width,
    version: result.version,
  };
}
