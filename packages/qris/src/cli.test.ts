import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeQrPng } from '../test/decode-png.js';
import { type CliIo, main, SAMPLE_QRIS } from './cli.js';
import { parse } from './parse.js';

/** Runs the CLI in process with captured output. */
async function run(args: string[], stdin = '') {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    readStdin: async () => stdin,
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qris-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('quickcart-qris', () => {
  it('decode prints a table and exits 0 for a valid QRIS', async () => {
    const { code, stdout } = await run(['decode', SAMPLE_QRIS]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Tag\s+Name\s+Len\s+Value$/m);
    expect(stdout).toMatch(/^ {2}02\s+NMID\s+15\s+ID1024322842930$/m);
    expect(stdout).toMatch(/^54\s+Transaction amount\s+09\s+100003\.00$/m);
    expect(stdout).toContain('Valid QRIS (CRC A079 checks out).');
  });

  it('decode --json prints tree, fields and validation, and exits 1 when invalid', async () => {
    const broken = SAMPLE_QRIS.replace('Pakasir', 'Pakasar');
    const { code, stdout } = await run(['decode', '--json', broken]);
    expect(code).toBe(1);
    const output = JSON.parse(stdout);
    expect(output.fields.merchantName).toBe('Pakasar');
    expect(output.tree).toHaveLength(13);
    expect(output.validation).toMatchObject({ valid: false, errors: [{ code: 'CRC_MISMATCH', path: '63' }] });
  });

  it('decode reads standard input for "-" and reports an unreadable structure', async () => {
    expect((await run(['decode', '-'], `${SAMPLE_QRIS}\n`)).code).toBe(0);
    const { code, stdout } = await run(['decode', '-'], '00020101XY');
    expect(code).toBe(1);
    expect(stdout).toContain('error INVALID_LENGTH at 01');
  });

  it('encode builds from a fields file', async () => {
    const file = join(dir, 'fields.json');
    const { crc, payloadFormatIndicator, ...fields } = parse(SAMPLE_QRIS).fields;
    await writeFile(file, JSON.stringify(fields));
    const { code, stdout } = await run(['encode', file]);
    expect(code).toBe(0);
    expect(stdout).toBe(`${SAMPLE_QRIS}\n`);
  });

  it('encode says which field is wrong', async () => {
    const { code, stderr } = await run(['encode', '-'], '{"pointOfInitiation":"static"}');
    expect(code).toBe(1);
    expect(stderr).toMatch(/^quickcart-qris: INVALID_OPTION: .*must be a string/);
  });

  it('dynamic sets the amount and references', async () => {
    const { code, stdout } = await run([
      'dynamic',
      SAMPLE_QRIS,
      '--amount',
      '25000',
      '--reference',
      'INV-9',
      '--replace-amount',
    ]);
    expect(code).toBe(0);
    expect(parse(stdout.trim()).fields).toMatchObject({
      amount: '25000',
      additionalData: { referenceLabel: 'INV-9' },
    });
    const refused = await run(['dynamic', SAMPLE_QRIS, '--amount', '25000']);
    expect(refused).toMatchObject({ code: 1 });
    expect(refused.stderr).toContain('ALREADY_DYNAMIC');
  });

  it('render --png writes a PNG that decodes to the input', async () => {
    const file = join(dir, 'qris.png');
    const { code } = await run(['render', SAMPLE_QRIS, '--png', file, '--scale', '4']);
    expect(code).toBe(0);
    expect(decodeQrPng(await readFile(file)).text).toBe(SAMPLE_QRIS);
  });

  it('render --svg and --terminal', async () => {
    const file = join(dir, 'qris.svg');
    expect((await run(['render', SAMPLE_QRIS, '--svg', file])).code).toBe(0);
    expect(await readFile(file, 'utf8')).toContain('<svg');
    const { stdout } = await run(['render', SAMPLE_QRIS, '--terminal']);
    expect(stdout).toContain('█▀▀▀▀▀█');
  });

  it('usage errors exit 2 with a message', async () => {
    expect(await run(['frobnicate'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown command "frobnicate"'),
    });
    expect(await run(['dynamic', SAMPLE_QRIS])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--amount is required'),
    });
    expect(await run(['render', SAMPLE_QRIS])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('exactly one of'),
    });
    expect(await run(['decode', '--nope', SAMPLE_QRIS])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("Unknown option '--nope'"),
    });
    expect(await run([])).toMatchObject({
      code: 2,
      stdout: expect.stringContaining('Usage: quickcart-qris'),
    });
    expect(await run(['--help'])).toMatchObject({ code: 0 });
  });

  it('demo decodes and draws the sample', async () => {
    const { code, stdout } = await run(['demo']);
    expect(code).toBe(0);
    expect(stdout).toContain('Valid QRIS (CRC A079 checks out).');
    expect(stdout).toContain('NMID ID1024322842930');
  });
});
