// The package as users get it: the built dist/ through its exports, and the installed bin.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const root = new URL('../../../', import.meta.url).pathname;
const SAMPLE =
  '00020101021226610016ID.CO.SHOPEE.WWW01189360091800216005230208216005230303UME51440014ID.CO.QRIS.WWW0215ID10243228429300303UME5204792953033605409100003.005802ID5907Pakasir6012KAB. KEBUMEN61055439262230519SP25RZRATEQI2HQ65Q46304A079';

describe('@quickcart/qris as installed', () => {
  it('imports from dist as ESM with the documented exports', async () => {
    const script = `import * as qris from '@quickcart/qris';
      console.log(JSON.stringify({ keys: Object.keys(qris).sort(), amount: qris.parse(${JSON.stringify(SAMPLE)}).fields.amount }));`;
    const { stdout } = await exec(process.execPath, ['--input-type=module', '-e', script], { cwd: root });
    expect(JSON.parse(stdout)).toEqual({
      keys: [
        'QRIS_ERROR_CODES',
        'QRIS_WARNING_CODES',
        'QrisError',
        'amountToRupiah',
        'build',
        'crc16',
        'parse',
        'serialize',
        'toDataUrl',
        'toDynamic',
        'toPng',
        'toSvg',
        'toTerminal',
        'validate',
      ],
      amount: '100003.00',
    });
  });

  it('loads through require() too (Node >= 20.19 requires ESM)', async () => {
    const script = `const { crc16 } = require('@quickcart/qris'); console.log(crc16('123456789'));`;
    const { stdout } = await exec(process.execPath, ['-e', script], { cwd: root });
    expect(stdout.trim()).toBe('29B1');
  });

  it('runs the quickcart-qris bin that npm linked', async () => {
    const { stdout } = await exec(`${root}node_modules/.bin/quickcart-qris`, ['decode', SAMPLE], {
      cwd: root,
    });
    expect(stdout).toContain('Valid QRIS (CRC A079 checks out).');
    const failure = await exec(
      `${root}node_modules/.bin/quickcart-qris`,
      ['decode', `${SAMPLE.slice(0, -1)}8`],
      { cwd: root },
    ).catch((error: { code: number; stdout: string }) => error);
    expect(failure).toMatchObject({ code: 1, stdout: expect.stringContaining('CRC_MISMATCH') });
  });
});
