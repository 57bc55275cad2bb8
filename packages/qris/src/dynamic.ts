import { formatAmount } from './amount.js';
import { assertValid, tipEntries, withCrc } from './build.js';
import { QrisError } from './errors.js';
import { ADDITIONAL_DATA_TAGS } from './fields.js';
import { parse, serialize } from './parse.js';
import type { Tip, TlvNode } from './types.js';

export interface ToDynamicOptions {
  /** Whole rupiah (e.g. 150000) or an amount string (e.g. "150000.00"). */
  amount: number | string;
  /** Tip or convenience fee; replaces any tip of the input. */
  tip?: Tip;
  /** 62.01 */
  billNumber?: string;
  /** 62.05, e.g. your order id. */
  reference?: string;
  /** 62.07 */
  terminal?: string;
  /** 62.08 */
  purpose?: string;
  /** Allow an input that already carries an amount (a dynamic QRIS); its amount is replaced. */
  replaceAmount?: boolean;
}

/** Inserts or replaces a node, keeping the tree's order: a new tag goes before the first larger one. */
function put(nodes: TlvNode[], node: TlvNode): void {
  const index = nodes.findIndex((existing) => existing.tag === node.tag);
  if (index >= 0) {
    nodes[index] = node;
    return;
  }
  const after = nodes.findIndex((existing) => Number(existing.tag) > Number(node.tag));
  nodes.splice(after < 0 ? nodes.length : after, 0, node);
}

function additionalData(existing: TlvNode | undefined, options: ToDynamicOptions): TlvNode | undefined {
  const updates: [string, string | undefined][] = [
    [ADDITIONAL_DATA_TAGS.billNumber, options.billNumber],
    [ADDITIONAL_DATA_TAGS.referenceLabel, options.reference],
    [ADDITIONAL_DATA_TAGS.terminalLabel, options.terminal],
    [ADDITIONAL_DATA_TAGS.purposeOfTransaction, options.purpose],
  ];
  if (updates.every(([, value]) => value === undefined)) return existing;
  const children = existing?.children ? [...existing.children] : [];
  for (const [tag, value] of updates) if (value !== undefined) put(children, { tag, value });
  return { tag: '62', value: '', children };
}

/**
 * Turns a static QRIS into a dynamic one for a single payment: 01 = 12, amount in 54, optional
 * tip and 62 references, CRC recomputed. Works on the parsed tree, never by string replacement,
 * so every other data object stays byte for byte. Throws a `QrisError` for an invalid input and,
 * unless `replaceAmount` is set, for an input that already has an amount.
 * @example toDynamic(staticQris, { amount: 150000, reference: 'INV-1001' })
 */
export function toDynamic(staticQris: string, options: ToDynamicOptions): string {
  if (typeof options !== 'object' || options === null)
    throw new QrisError('INVALID_OPTION', 'toDynamic: options must be an object');
  const amount = formatAmount(options.amount);
  const { tree } = parse(staticQris);
  const hasAmount = tree.some((node) => node.tag === '54');
  if (
    (hasAmount || tree.some((node) => node.tag === '01' && node.value === '12')) &&
    !options.replaceAmount
  ) {
    throw new QrisError(
      'ALREADY_DYNAMIC',
      'this QRIS already carries an amount (it is dynamic); pass replaceAmount: true to replace it',
      {
        tag: '54',
        path: '54',
      },
    );
  }
  const nodes = tree.filter(
    (node) => node.tag !== '63' && !(options.tip && ['55', '56', '57'].includes(node.tag)),
  );
  put(nodes, { tag: '01', value: '12' });
  put(nodes, { tag: '54', value: amount });
  if (options.tip) for (const [tag, value] of tipEntries(options.tip)) put(nodes, { tag, value });
  const extra = additionalData(
    nodes.find((node) => node.tag === '62'),
    options,
  );
  if (extra) put(nodes, extra);
  return assertValid(withCrc(serialize(nodes)));
}
