CREATE TABLE "store_balance_ledger" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"user_id" bigint NOT NULL,
	"delta" integer NOT NULL,
	"balance_after" integer NOT NULL,
	"reason" text NOT NULL,
	"order_id" text,
	"payment_id" text,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "store_balance_ledger_reason" CHECK ("store_balance_ledger"."reason" in ('topup', 'order_payment', 'refund', 'late_payment', 'overpayment', 'underpayment', 'adjustment')),
	CONSTRAINT "store_balance_ledger_delta" CHECK ("store_balance_ledger"."delta" <> 0 and "store_balance_ledger"."balance_after" >= 0)
);
--> statement-breakpoint
CREATE TABLE "store_voucher_uses" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"voucher_id" integer NOT NULL,
	"order_id" text NOT NULL,
	"user_id" bigint NOT NULL,
	"discount" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"released_at" timestamp with time zone,
	CONSTRAINT "store_voucher_uses_order_id_unique" UNIQUE("order_id"),
	CONSTRAINT "store_voucher_uses_discount" CHECK ("store_voucher_uses"."discount" > 0)
);
--> statement-breakpoint
CREATE TABLE "store_vouchers" (
	"id" serial PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"kind" text NOT NULL,
	"value" integer NOT NULL,
	"product_id" integer,
	"expires_at" timestamp with time zone,
	"max_uses" integer,
	"max_uses_per_user" integer,
	"used_count" integer DEFAULT 0 NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_by" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "store_vouchers_code_unique" UNIQUE("code"),
	CONSTRAINT "store_vouchers_kind" CHECK ("store_vouchers"."kind" in ('percent', 'fixed')),
	CONSTRAINT "store_vouchers_value" CHECK ("store_vouchers"."value" > 0 and ("store_vouchers"."kind" <> 'percent' or "store_vouchers"."value" <= 100)),
	CONSTRAINT "store_vouchers_limits" CHECK (("store_vouchers"."max_uses" is null or "store_vouchers"."max_uses" > 0) and ("store_vouchers"."max_uses_per_user" is null or "store_vouchers"."max_uses_per_user" > 0)),
	CONSTRAINT "store_vouchers_used_count" CHECK ("store_vouchers"."used_count" >= 0 and ("store_vouchers"."max_uses" is null or "store_vouchers"."used_count" <= "store_vouchers"."max_uses"))
);
--> statement-breakpoint
ALTER TABLE "store_orders" DROP CONSTRAINT "store_orders_amounts";--> statement-breakpoint
ALTER TABLE "store_orders" ADD COLUMN "kind" text DEFAULT 'goods' NOT NULL;--> statement-breakpoint
ALTER TABLE "store_orders" ADD COLUMN "discount" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "store_orders" ADD COLUMN "voucher_id" integer;--> statement-breakpoint
ALTER TABLE "store_orders" ADD COLUMN "balance_paid" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "store_orders" ADD COLUMN "checkout_key" text;--> statement-breakpoint
ALTER TABLE "store_stock_items" ADD COLUMN "content_hash" text;--> statement-breakpoint
ALTER TABLE "store_balance_ledger" ADD CONSTRAINT "store_balance_ledger_user_id_store_users_telegram_id_fk" FOREIGN KEY ("user_id") REFERENCES "store_users"("telegram_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_balance_ledger" ADD CONSTRAINT "store_balance_ledger_order_id_store_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "store_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_balance_ledger" ADD CONSTRAINT "store_balance_ledger_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_voucher_uses" ADD CONSTRAINT "store_voucher_uses_voucher_id_store_vouchers_id_fk" FOREIGN KEY ("voucher_id") REFERENCES "store_vouchers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_voucher_uses" ADD CONSTRAINT "store_voucher_uses_order_id_store_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "store_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_voucher_uses" ADD CONSTRAINT "store_voucher_uses_user_id_store_users_telegram_id_fk" FOREIGN KEY ("user_id") REFERENCES "store_users"("telegram_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_vouchers" ADD CONSTRAINT "store_vouchers_product_id_store_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "store_products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "store_balance_ledger_user_idx" ON "store_balance_ledger" USING btree ("user_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "store_balance_ledger_order_debit" ON "store_balance_ledger" USING btree ("order_id") WHERE "store_balance_ledger"."reason" = 'order_payment';--> statement-breakpoint
CREATE UNIQUE INDEX "store_balance_ledger_order_refund" ON "store_balance_ledger" USING btree ("order_id") WHERE "store_balance_ledger"."reason" = 'refund';--> statement-breakpoint
CREATE UNIQUE INDEX "store_balance_ledger_order_topup" ON "store_balance_ledger" USING btree ("order_id") WHERE "store_balance_ledger"."reason" = 'topup';--> statement-breakpoint
CREATE UNIQUE INDEX "store_balance_ledger_payment_credit" ON "store_balance_ledger" USING btree ("payment_id") WHERE "store_balance_ledger"."reason" in ('topup', 'late_payment', 'overpayment', 'underpayment');--> statement-breakpoint
CREATE INDEX "store_voucher_uses_voucher_user_idx" ON "store_voucher_uses" USING btree ("voucher_id","user_id");--> statement-breakpoint
ALTER TABLE "store_orders" ADD CONSTRAINT "store_orders_voucher_id_store_vouchers_id_fk" FOREIGN KEY ("voucher_id") REFERENCES "store_vouchers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "store_orders_user_checkout_key" ON "store_orders" USING btree ("user_id","checkout_key");--> statement-breakpoint
CREATE UNIQUE INDEX "store_stock_items_product_hash" ON "store_stock_items" USING btree ("product_id","content_hash");--> statement-breakpoint
ALTER TABLE "store_orders" ADD CONSTRAINT "store_orders_kind" CHECK ("store_orders"."kind" in ('goods', 'topup'));--> statement-breakpoint
ALTER TABLE "store_orders" ADD CONSTRAINT "store_orders_payment_method" CHECK ("store_orders"."payment_method" in ('qris', 'balance', 'balance+qris'));--> statement-breakpoint
ALTER TABLE "store_orders" ADD CONSTRAINT "store_orders_amounts" CHECK ("store_orders"."subtotal" > 0 and "store_orders"."fee" >= 0 and "store_orders"."discount" >= 0 and "store_orders"."discount" <= "store_orders"."subtotal" and "store_orders"."total_bill" = "store_orders"."subtotal" - "store_orders"."discount" + "store_orders"."fee" and "store_orders"."balance_paid" >= 0 and "store_orders"."balance_paid" <= "store_orders"."total_bill");--> statement-breakpoint
-- Hand-written (issue 9). Stock from before this migration is clear text: its dedupe hash is the
-- plain SHA-256 of the content (what store/stock-crypto.ts computes without a key), set on the
-- first item of each group of equal items only, so existing duplicates do not break the index.
UPDATE store_stock_items SET content_hash = encode(sha256(convert_to(content, 'UTF8')), 'hex')
  WHERE id IN (SELECT min(id) FROM store_stock_items GROUP BY product_id, content);
--> statement-breakpoint
-- Balances kept before the ledger existed get an opening entry, so sum(ledger) = balance holds.
INSERT INTO store_balance_ledger (user_id, delta, balance_after, reason, note)
  SELECT telegram_id, account_balance, account_balance, 'adjustment', 'opening balance (migration 0007)'
  FROM store_users WHERE account_balance <> 0;
--> statement-breakpoint
-- The balance ledger is append-only, whatever code runs.
CREATE FUNCTION quickcart_guard_balance_ledger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'store_balance_ledger is append-only (% of entry %)', TG_OP, OLD.id
    USING ERRCODE = 'check_violation';
END
$$;
--> statement-breakpoint
CREATE TRIGGER store_balance_ledger_append_only BEFORE UPDATE OR DELETE ON store_balance_ledger
  FOR EACH ROW EXECUTE FUNCTION quickcart_guard_balance_ledger();
