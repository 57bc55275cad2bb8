import QRCode from 'qrcode';
import { assertValid } from './build.js';
import { QrisError } from './errors.js';

export interface RenderOptions {
  /** Error correction level; QRIS uses M. */
  errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H';
  /** Quiet zone in modules (default 4, as ISO/IEC 18004 asks). */
  margin?: number;
  /** Pixels per module (PNG, data URL). Ignored when `width` is set. */
  scale?: number;
  /** Total image width in pixels (PNG, data URL, SVG). */
  width?: number;
  /** Colours as #RRGGBB or #RRGGBBAA. */
  dark?: string;
  light?: string;
  /** Check the string is a valid QRIS before drawing it (default true): a bad QR costs a sale. */
  validate?: boolean;
}

function qrOptions(text: string, options: RenderOptions) {
  if (options.validate !== false) assertValid(text);
  const margin = options.margin ?? 4;
  if (!Number.isInteger(margin) || margin < 0 || margin > 100) {
    throw new QrisError(
      'INVALID_OPTION',
      `margin must be a whole number of modules from 0 to 100, got ${margin}`,
    );
  }
  return {
    errorCorrectionLevel: options.errorCorrectionLevel ?? 'M',
    margin,
    ...(options.scale !== undefined && { scale: options.scale }),
    ...(options.width !== undefined && { width: options.width }),
    color: { dark: options.dark ?? '#000000ff', light: options.light ?? '#ffffffff' },
  } as const;
}

/** Renders a QRIS as a PNG image. @example await writeFile('qris.png', await toPng(qris, { scale: 8 })) */
export async function toPng(qris: string, options: RenderOptions = {}): Promise<Buffer> {
  return QRCode.toBuffer(qris, { ...qrOptions(qris, options), type: 'png' });
}

/** Renders a QRIS as an SVG document. */
export async function toSvg(qris: string, options: RenderOptions = {}): Promise<string> {
  return QRCode.toString(qris, { ...qrOptions(qris, options), type: 'svg' });
}

/** Renders a QRIS as a `data:image/png;base64,…` URL, e.g. for an <img> tag. */
export async function toDataUrl(qris: string, options: RenderOptions = {}): Promise<string> {
  return QRCode.toDataURL(qris, { ...qrOptions(qris, options), type: 'image/png' });
}

const ANSI_BLACK_ON_WHITE = '\x1b[30;47m';
const ANSI_RESET = '\x1b[0m';
const HALF_BLOCKS = [' ', '\u2584', '\u2580', '\u2588']; // index: top dark ? 2 : 0 + bottom dark ? 1 : 0

/**
 * Renders a QRIS for a terminal, two modules per character row, with the full quiet zone
 * (qrcode's own terminal renderer draws a 1-module margin, which phones often fail to scan).
 * With `ansi` (default) it paints black on white, so it scans on dark and light themes alike.
 */
export function toTerminal(qris: string, options: RenderOptions & { ansi?: boolean } = {}): string {
  const { margin, errorCorrectionLevel } = qrOptions(qris, options);
  const { modules } = QRCode.create(qris, { errorCorrectionLevel });
  const size = modules.size + 2 * margin;
  const dark = (row: number, col: number) => {
    const r = row - margin;
    const c = col - margin;
    return r >= 0 && c >= 0 && r < modules.size && c < modules.size && modules.get(r, c) === 1;
  };
  const lines: string[] = [];
  for (let row = 0; row < size; row += 2) {
    let line = '';
    for (let col = 0; col < size; col++)
      line += HALF_BLOCKS[(dark(row, col) ? 2 : 0) + (dark(row + 1, col) ? 1 : 0)];
    lines.push(options.ansi === false ? line : ANSI_BLACK_ON_WHITE + line + ANSI_RESET);
  }
  return `${lines.join('\n')}\n`;
}
