CREATE TABLE "store_admins" (
	"telegram_id" bigint PRIMARY KEY NOT NULL,
	"role" text NOT NULL,
	"added_by" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "store_admins_role" CHECK ("store_admins"."role" in ('owner', 'staff'))
);
--> statement-breakpoint
CREATE TABLE "store_audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"actor_id" bigint NOT NULL,
	"action" text NOT NULL,
	"target" text,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "store_replacements" (
	"id" serial PRIMARY KEY NOT NULL,
	"order_id" text NOT NULL,
	"user_id" bigint NOT NULL,
	"stock_item_id" bigint NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'requested' NOT NULL,
	"replacement_item_id" bigint,
	"decided_by" bigint,
	"decided_at" timestamp with time zone,
	"deliver_lease_until" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "store_replacements_replacement_item_id_unique" UNIQUE("replacement_item_id"),
	CONSTRAINT "store_replacements_status" CHECK ("store_replacements"."status" in ('requested', 'approved', 'rejected')),
	CONSTRAINT "store_replacements_decision" CHECK (("store_replacements"."status" = 'requested') = ("store_replacements"."decided_at" is null) and ("store_replacements"."status" = 'approved') = ("store_replacements"."replacement_item_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "store_restock_subscriptions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"user_id" bigint NOT NULL,
	"product_id" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"notified_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "store_products" ADD COLUMN "warranty_hours" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "store_users" ADD COLUMN "language" text;--> statement-breakpoint
ALTER TABLE "store_replacements" ADD CONSTRAINT "store_replacements_order_id_store_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "store_orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_replacements" ADD CONSTRAINT "store_replacements_user_id_store_users_telegram_id_fk" FOREIGN KEY ("user_id") REFERENCES "store_users"("telegram_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_replacements" ADD CONSTRAINT "store_replacements_stock_item_id_store_stock_items_id_fk" FOREIGN KEY ("stock_item_id") REFERENCES "store_stock_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_replacements" ADD CONSTRAINT "store_replacements_replacement_item_id_store_stock_items_id_fk" FOREIGN KEY ("replacement_item_id") REFERENCES "store_stock_items"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_restock_subscriptions" ADD CONSTRAINT "store_restock_subscriptions_user_id_store_users_telegram_id_fk" FOREIGN KEY ("user_id") REFERENCES "store_users"("telegram_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "store_restock_subscriptions" ADD CONSTRAINT "store_restock_subscriptions_product_id_store_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "store_products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "store_audit_log_created_idx" ON "store_audit_log" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "store_replacements_open_item" ON "store_replacements" USING btree ("stock_item_id") WHERE "store_replacements"."status" <> 'rejected';--> statement-breakpoint
CREATE INDEX "store_replacements_requested_idx" ON "store_replacements" USING btree ("created_at") WHERE "store_replacements"."status" = 'requested';--> statement-breakpoint
CREATE INDEX "store_replacements_undelivered_idx" ON "store_replacements" USING btree ("decided_at") WHERE "store_replacements"."status" = 'approved' and "store_replacements"."delivered_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "store_restock_subscriptions_waiting" ON "store_restock_subscriptions" USING btree ("product_id","user_id") WHERE "store_restock_subscriptions"."notified_at" is null;--> statement-breakpoint
ALTER TABLE "store_products" ADD CONSTRAINT "store_products_warranty_hours" CHECK ("store_products"."warranty_hours" >= 0);--> statement-breakpoint
ALTER TABLE "store_users" ADD CONSTRAINT "store_users_language" CHECK ("store_users"."language" is null or "store_users"."language" in ('id', 'en'));--> statement-breakpoint
-- Hand-written (issue 9): the audit log is append-only, whatever code runs.
CREATE FUNCTION quickcart_guard_audit_log() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'store_audit_log is append-only (% refused)', TG_OP USING ERRCODE = 'check_violation';
END
$$;
--> statement-breakpoint
CREATE TRIGGER store_audit_log_append_only BEFORE UPDATE OR DELETE ON store_audit_log
  FOR EACH ROW EXECUTE FUNCTION quickcart_guard_audit_log();
