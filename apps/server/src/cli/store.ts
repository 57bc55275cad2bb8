// `quickcart product add | product list | stock add`: the Telegram store's catalog, on the database
// or through the running server (see withAdmin), printed the same way.
import { readFile } from 'node:fs/promises';
import { type AddProductInput, type ProductView, splitStockFile } from '../admin/store.js';
import type { Config } from '../config.js';
import { QuickCartError } from '../payments/errors.js';
import { type Output, print, withAdmin } from './admin.js';

const rupiah = (amount: number) => `Rp ${amount.toLocaleString('id-ID')}`;

function productLine(p: ProductView): string {
  const prices =
    p.reseller_price === p.customer_price
      ? rupiah(p.customer_price)
      : `${rupiah(p.customer_price)} (reseller ${rupiah(p.reseller_price)})`;
  return `#${p.id} ${p.name} [${p.category}] ${prices}, stock ${p.stock_count}, sold ${p.sold_count}${p.is_active ? '' : ' (hidden)'}`;
}

export async function addProductCommand(
  config: Config,
  output: Output,
  input: AddProductInput,
): Promise<void> {
  await withAdmin(config, async (admin) => {
    const product = await admin.addProduct(input);
    print(output, product, [
      `product ${productLine(product)} added`,
      `Add its stock: quickcart stock add ${product.id} --file lines.txt [--blocks]`,
    ]);
  });
}

export async function listProductsCommand(config: Config, output: Output): Promise<void> {
  await withAdmin(config, async (admin) => {
    const list = await admin.listProducts();
    const lines = list.products.map(productLine);
    print(
      output,
      list,
      lines.length > 0 ? lines : ['no products yet: quickcart product add --name N --price P'],
    );
  });
}

/** Reads `file` (one deliverable per line, or per blank-line-separated block) and adds it as stock. */
export async function addStockCommand(
  config: Config,
  output: Output,
  options: { productId: number; file: string; blocks: boolean },
): Promise<void> {
  let text: string;
  try {
    text = await readFile(options.file, 'utf8');
  } catch (error) {
    throw new QuickCartError('VALIDATION_ERROR', {
      message: `cannot read the stock file ${options.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      details: { file: options.file },
    });
  }
  const items = splitStockFile(text, { blocks: options.blocks });
  await withAdmin(config, async (admin) => {
    const result = await admin.addStock({ productId: options.productId, items });
    const refused =
      result.duplicates > 0
        ? `, ${result.duplicates} duplicate${result.duplicates === 1 ? '' : 's'} refused`
        : '';
    print(output, result, [
      `${result.added} item${result.added === 1 ? '' : 's'} added to product #${result.product_id}${refused}; in stock now: ${result.stock_count}`,
    ]);
  });
}
