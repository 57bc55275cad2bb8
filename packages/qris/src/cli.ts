import { readFile, writeFile } from 'node:fs/promises';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { build } from './build.js';
import { toDynamic } from './dynamic.js';
import { QrisError } from './errors.js';
import { subTagName, tagName } from './names.js';
import { parse } from './parse.js';
import { toPng, toSvg, toTerminal } from './render.js';
import { charLength } from './tlv.js';
import type { QrisBuildFields, QrisIssue, Tip, TlvNode } from './types.js';
import { analyze } from './validate.js';

/** Where the CLI reads and writes; tests pass their own. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin(): Promise<string>;
}

/** The dynamic QRIS from Pakasir's integration documentation (seed 001), used by `demo`. */
export const SAMPLE_QRIS =
  '00020101021226610016ID.CO.SHOPEE.WWW01189360091800216005230208216005230303UME51440014ID.CO.QRIS.WWW0215ID10243228429300303UME5204792953033605409100003.005802ID5907Pakasir6012KAB. KEBUMEN61055439262230519SP25RZRATEQI2HQ65Q46304A079';

const USAGE = `Usage: quickcart-qris <command> [options]

Commands:
  decode <qris|->                 show the data objects, fields and validation (exit 1 if invalid)
      --json                      print { tree, fields, validation } as JSON
  encode <fields.json|->          build a QRIS from the typed fields (see @quickcart/qris build())
  dynamic <static-qris|->         make a dynamic QRIS for one payment
      --amount N                  whole rupiah, or an amount string such as 15000.00 (required)
      --reference R  --bill-number B  --terminal T  --purpose P   62 sub-tags
      --tip-prompt | --tip-fixed N | --tip-percent P              tip or convenience fee
      --replace-amount            accept an input that already has an amount
  render <qris|->                 draw the QR code (one of):
      --png FILE | --svg FILE | --terminal
      --scale N  --margin N       pixels per module, quiet zone in modules (default 4)
  demo                            decode and draw the sample QRIS from Pakasir's documentation

"-" reads the value from standard input.`;

class UsageError extends Error {}

const nodeIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

/** Runs the CLI with `args` (without "node" and the script) and returns the exit code. */
export async function main(args: readonly string[], io: CliIo = nodeIo): Promise<number> {
  const [command, ...rest] = args;
  try {
    switch (command) {
      case 'decode':
        return await decodeCommand(rest, io);
      case 'encode':
        return await encodeCommand(rest, io);
      case 'dynamic':
        return await dynamicCommand(rest, io);
      case 'render':
        return await renderCommand(rest, io);
      case 'demo':
        return demoCommand(io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.stdout(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`quickcart-qris: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof QrisError) {
      io.stderr(`quickcart-qris: ${error.code}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

function parseCommand<const O extends NonNullable<ParseArgsConfig['options']>>(
  args: readonly string[],
  options: O,
  what: string,
) {
  try {
    const { positionals, values } = parseArgs({
      args: [...args],
      options,
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length !== 1) {
      throw new UsageError(
        `${what}: expected one ${what === 'encode' ? 'file' : 'QRIS'} argument, got ${positionals.length}`,
      );
    }
    return { input: positionals[0] as string, values };
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${what}: ${(error as Error).message}`);
  }
}

/** The argument itself, or standard input for "-", without a trailing newline. */
async function readQris(argument: string, io: CliIo): Promise<string> {
  const text = argument === '-' ? await io.readStdin() : argument;
  return text.replace(/\r?\n$/, '');
}

async function decodeCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { input, values } = parseCommand(args, { json: { type: 'boolean' } }, 'decode');
  const qris = await readQris(input, io);
  const { tree, errors, warnings } = analyze(qris);
  const fields = tree ? parse(qris, { mode: 'lenient' }).fields : null;
  const valid = errors.length === 0;
  if (values.json) {
    io.stdout(`${JSON.stringify({ tree, fields, validation: { valid, errors, warnings } }, null, 2)}\n`);
  } else {
    if (tree) io.stdout(`${formatTree(tree)}\n`);
    io.stdout(`${formatValidation(valid, errors, warnings, fields?.crc)}\n`);
  }
  return valid ? 0 : 1;
}

async function encodeCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { input } = parseCommand(args, {}, 'encode');
  const json = input === '-' ? await io.readStdin() : await readFile(input, 'utf8');
  let fields: QrisBuildFields;
  try {
    fields = JSON.parse(json) as QrisBuildFields;
  } catch (error) {
    throw new UsageError(
      `encode: ${input === '-' ? 'standard input' : input} is not JSON: ${(error as Error).message}`,
    );
  }
  io.stdout(`${build(fields)}\n`);
  return 0;
}

async function dynamicCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { input, values } = parseCommand(
    args,
    {
      amount: { type: 'string' },
      reference: { type: 'string' },
      'bill-number': { type: 'string' },
      terminal: { type: 'string' },
      purpose: { type: 'string' },
      'tip-prompt': { type: 'boolean' },
      'tip-fixed': { type: 'string' },
      'tip-percent': { type: 'string' },
      'replace-amount': { type: 'boolean' },
    },
    'dynamic',
  );
  if (values.amount === undefined) throw new UsageError('dynamic: --amount is required');
  const tips: Tip[] = [];
  if (values['tip-prompt']) tips.push({ type: 'prompt' });
  if (values['tip-fixed'] !== undefined) tips.push({ type: 'fixed', amount: values['tip-fixed'] });
  if (values['tip-percent'] !== undefined)
    tips.push({ type: 'percentage', percentage: values['tip-percent'] });
  if (tips.length > 1)
    throw new UsageError('dynamic: give at most one of --tip-prompt, --tip-fixed, --tip-percent');
  const result = toDynamic(await readQris(input, io), {
    amount: values.amount,
    ...(tips[0] && { tip: tips[0] }),
    ...(values.reference !== undefined && { reference: values.reference }),
    ...(values['bill-number'] !== undefined && { billNumber: values['bill-number'] }),
    ...(values.terminal !== undefined && { terminal: values.terminal }),
    ...(values.purpose !== undefined && { purpose: values.purpose }),
    ...(values['replace-amount'] && { replaceAmount: true }),
  });
  io.stdout(`${result}\n`);
  return 0;
}

function positiveInteger(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value))
    throw new UsageError(`render: ${name} must be a whole number, got ${JSON.stringify(value)}`);
  return Number(value);
}

async function renderCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { input, values } = parseCommand(
    args,
    {
      png: { type: 'string' },
      svg: { type: 'string' },
      terminal: { type: 'boolean' },
      scale: { type: 'string' },
      margin: { type: 'string' },
    },
    'render',
  );
  const targets = [values.png, values.svg, values.terminal].filter(
    (target) => target !== undefined && target !== false,
  );
  if (targets.length !== 1)
    throw new UsageError('render: give exactly one of --png FILE, --svg FILE, --terminal');
  const qris = await readQris(input, io);
  const scale = positiveInteger(values.scale, '--scale');
  const margin = positiveInteger(values.margin, '--margin');
  const options = { ...(scale !== undefined && { scale }), ...(margin !== undefined && { margin }) };
  if (values.png !== undefined) {
    await writeFile(values.png, await toPng(qris, options));
    io.stdout(`wrote ${values.png}\n`);
  } else if (values.svg !== undefined) {
    await writeFile(values.svg, await toSvg(qris, options));
    io.stdout(`wrote ${values.svg}\n`);
  } else {
    io.stdout(toTerminal(qris, options));
  }
  return 0;
}

function demoCommand(io: CliIo): number {
  const { tree, fields } = parse(SAMPLE_QRIS);
  const forOrder = toDynamic(SAMPLE_QRIS, { amount: 25000, reference: 'INV-1001', replaceAmount: true });
  io.stdout(
    [
      "QuickCart QRIS codec: decoding the dynamic QRIS from Pakasir's documentation.",
      '',
      formatTree(tree),
      '',
      formatValidation(true, [], [], fields.crc),
      `Merchant ${fields.merchantName} (${fields.merchantCity}), NMID ${fields.qris.nmid}, amount Rp ${fields.amount}`,
      '',
      toTerminal(SAMPLE_QRIS),
      'The same merchant, made dynamic for Rp 25000 and order INV-1001 (tree rebuilt, CRC recomputed):',
      `  ${forOrder}`,
      '',
      'Try it yourself:',
      `  npx quickcart-qris decode '${SAMPLE_QRIS}'`,
      `  npx quickcart-qris render '${SAMPLE_QRIS}' --png qris.png`,
      `  npx quickcart-qris dynamic '${SAMPLE_QRIS}' --amount 25000 --reference INV-1001 --replace-amount`,
      '',
    ].join('\n'),
  );
  return 0;
}

/** One table row per data object, sub-tags indented under their template. */
export function formatTree(tree: readonly TlvNode[]): string {
  const rows: string[][] = [['Tag', 'Name', 'Len', 'Value']];
  for (const node of tree) {
    rows.push([
      node.tag,
      tagName(node.tag),
      pad2(charLength(node.value)),
      node.children ? '' : describe(node),
    ]);
    for (const child of node.children ?? []) {
      rows.push([
        `  ${child.tag}`,
        `  ${subTagName(node.tag, child.tag)}`,
        pad2(charLength(child.value)),
        child.value,
      ]);
    }
  }
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => charLength(row[column] as string))));
  return rows
    .map((row) =>
      row.map((cell, column) => (column < 3 ? cell.padEnd(widths[column] as number) : cell)).join('  '),
    )
    .join('\n');
}

const pad2 = (length: number) => String(length).padStart(2, '0');

function describe(node: TlvNode): string {
  if (node.tag === '01')
    return `${node.value} (${node.value === '11' ? 'static' : node.value === '12' ? 'dynamic' : 'unknown'})`;
  if (node.tag === '53' && node.value === '360') return '360 (IDR)';
  return node.value;
}

function formatValidation(valid: boolean, errors: QrisIssue[], warnings: QrisIssue[], crc?: string): string {
  const lines = [valid ? `Valid QRIS (CRC ${crc} checks out).` : `Invalid QRIS: ${errors.length} error(s).`];
  const issue = (kind: string, i: QrisIssue) =>
    `  ${kind} ${i.code}${i.path ? ` at ${i.path}` : ''}${i.offset >= 0 ? ` (character ${i.offset})` : ''}: ${i.message}`;
  for (const error of errors) lines.push(issue('error', error));
  for (const warning of warnings) lines.push(issue('warning', warning));
  return lines.join('\n');
}
