CREATE TABLE "store_order_items" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"product_id" integer NOT NULL,
	"product_name" text NOT NULL,
	"quantity" integer NOT NULL,
	"price_per_unit" integer NOT NULL,
	"content" text,
	CONSTRAINT "store_order_items_quantity" CHECK ("store_order_items"."quantity" > 0 and "store_order_items"."price_per_unit" > 0)
);
--> statement-breakpoint
CREATE TABLE "store_orders" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" bigint NOT NULL,
	"payment_id" text,
	"subtotal" integer NOT NULL,
	"fee" integer NOT NULL,
	"total_bill" integer NOT NULL,
	"payment_method" text DEFAULT 'qris' NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"chat_id" bigint NOT NULL,
	"qr_message_id" integer,
	"notify_lease_until" timestamp with time zone,
	"notify_attempts" integer DEFAULT 0 NOT NULL,
	"notified_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"paid_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	CONSTRAINT "store_orders_payment_id_unique" UNIQUE("payment_id"),
	CONSTRAINT "store_orders_status" CHECK ("store_orders"."status" in ('pending', 'paid', 'delivered', 'expired', 'cancelled', 'failed')),
	CONSTRAINT "store_orders_amounts" CHECK ("store_orders"."subtotal" > 0 and "store_orders"."fee" >= 0 and "store_orders"."total_bill" = "store_orders"."subtotal" + "store_orders"."fee")
);
--> statement-breakpoint
CREATE TABLE "store_products" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"category" text NOT NULL,
	"customer_price" integer NOT NULL,
	"reseller_price" integer NOT NULL,
	"sold_count" integer DEFAULT 0 NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "store_products_prices_positive" CHECK ("store_products"."customer_price" > 0 and "store_products"."reseller_price" > 0),
	CONSTRAINT "store_products_sold_not_negative" CHECK ("store_products"."sold_count" >= 0)
);
--> statement-breakpoint
CREATE TABLE "store_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"partner_id" text NOT NULL,
	"license_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "store_settings_single_row" CHECK ("store_settings"."id" = 1)
);
--> statement-breakpoint
CREATE TABLE "store_stock_items" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"product_id" integer NOT NULL,
	"content" text NOT NULL,
	"status" text DEFAULT 'available' NOT NULL,
	"order_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sold_at" timestamp with time zone,
	CONSTRAINT "store_stock_items_status" CHECK ("store_stock_items"."status" in ('available', 'reserved', 'sold')),
	CONSTRAINT "store_stock_items_order_iff_taken" CHECK (("store_stock_items"."status" = 'available') = ("store_stock_items"."order_id" is null))
);
--> statement-breakpoint
CREATE TABLE "store_users" (
	"telegram_id" bigint PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"username" text,
	"email" text,
	"whatsapp_number" text,
	"member_status" text DEFAULT 'customer' NOT NULL,
	"account_balance" integer DEFAULT 0 NOT NULL,
	"is_banned" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "store_users_member_status" CHECK ("store_users"."member_status" in ('customer', 'reseller')),
	CONSTRAINT "store_users_balance_not_negative" CHECK ("store_users"."account_balance" >= 0)
);
--> statement-breakpoint
ALTER TABLE "store_order_items" ADD CONSTRAINT "store_order_items_order_id_store_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "store_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_order_items" ADD CONSTRAINT "store_order_items_product_id_store_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "store_products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_orders" ADD CONSTRAINT "store_orders_user_id_store_users_telegram_id_fk" FOREIGN KEY ("user_id") REFERENCES "store_users"("telegram_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_orders" ADD CONSTRAINT "store_orders_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_settings" ADD CONSTRAINT "store_settings_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_settings" ADD CONSTRAINT "store_settings_license_id_licenses_id_fk" FOREIGN KEY ("license_id") REFERENCES "licenses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_stock_items" ADD CONSTRAINT "store_stock_items_product_id_store_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "store_products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_stock_items" ADD CONSTRAINT "store_stock_items_order_id_store_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "store_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "store_order_items_order_product" ON "store_order_items" USING btree ("order_id","product_id");--> statement-breakpoint
CREATE INDEX "store_orders_user_created_idx" ON "store_orders" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "store_orders_pending_idx" ON "store_orders" USING btree ("created_at") WHERE "store_orders"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "store_orders_unnotified_idx" ON "store_orders" USING btree ("updated_at") WHERE "store_orders"."notified_at" is null and "store_orders"."status" <> 'pending';--> statement-breakpoint
CREATE INDEX "store_products_category_idx" ON "store_products" USING btree ("category");--> statement-breakpoint
CREATE INDEX "store_stock_items_available_idx" ON "store_stock_items" USING btree ("product_id","id") WHERE "store_stock_items"."status" = 'available';--> statement-breakpoint
CREATE INDEX "store_stock_items_order_idx" ON "store_stock_items" USING btree ("order_id");--> statement-breakpoint
-- Guard the database keeps, whatever code runs: a stock item that is reserved or sold stays with
-- its order (it can only be sold or released), and a sold item never changes or disappears again.
-- So no item is ever sold twice. Unqualified, like every migration.
CREATE FUNCTION quickcart_guard_stock_item() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status <> 'available' THEN
      RAISE EXCEPTION 'stock item % is % (order %) and cannot be deleted', OLD.id, OLD.status, OLD.order_id
        USING ERRCODE = 'check_violation';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.status = 'sold' AND (NEW.status IS DISTINCT FROM OLD.status OR NEW.order_id IS DISTINCT FROM OLD.order_id
      OR NEW.content IS DISTINCT FROM OLD.content) THEN
    RAISE EXCEPTION 'stock item % is sold (order %) and cannot change', OLD.id, OLD.order_id
      USING ERRCODE = 'check_violation';
  END IF;
  IF OLD.status = 'reserved' AND NEW.status <> 'available' AND NEW.order_id IS DISTINCT FROM OLD.order_id THEN
    RAISE EXCEPTION 'stock item % is reserved by order % and cannot move to order %', OLD.id, OLD.order_id, NEW.order_id
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER store_stock_items_guard BEFORE UPDATE OR DELETE ON store_stock_items
  FOR EACH ROW EXECUTE FUNCTION quickcart_guard_stock_item();
