CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"partner_id" text NOT NULL,
	"prefix" text NOT NULL,
	"hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "api_keys_hash_unique" UNIQUE("hash")
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"partner_id" text NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"response" jsonb,
	"status_code" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_partner_id_key_pk" PRIMARY KEY("partner_id","key")
);
--> statement-breakpoint
CREATE TABLE "license_ledger" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"license_id" text NOT NULL,
	"delta" integer NOT NULL,
	"reason" text NOT NULL,
	"payment_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "license_ledger_reason" CHECK ("license_ledger"."reason" in ('debit', 'refund', 'topup')),
	CONSTRAINT "license_ledger_delta_sign" CHECK (("license_ledger"."reason" = 'debit' and "license_ledger"."delta" < 0) or ("license_ledger"."reason" <> 'debit' and "license_ledger"."delta" > 0))
);
--> statement-breakpoint
CREATE TABLE "licenses" (
	"id" text PRIMARY KEY NOT NULL,
	"partner_id" text NOT NULL,
	"key_hash" text NOT NULL,
	"key_prefix" text NOT NULL,
	"tokens" integer DEFAULT 0 NOT NULL,
	"expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "licenses_key_hash_unique" UNIQUE("key_hash"),
	CONSTRAINT "licenses_tokens_not_negative" CHECK ("licenses"."tokens" >= 0)
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"topic" text NOT NULL,
	"payload" jsonb NOT NULL,
	"available_at" timestamp with time zone DEFAULT now() NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"lease_until" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outbox_attempts_not_negative" CHECK ("outbox"."attempts" >= 0)
);
--> statement-breakpoint
CREATE TABLE "partners" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"webhook_url" text,
	"webhook_secret" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "payment_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"payment_id" text NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"source" text NOT NULL,
	"detail" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payment_events_statuses" CHECK (("payment_events"."from_status" is null or "payment_events"."from_status" in ('pending', 'paid', 'expired', 'cancelled', 'failed')) and "payment_events"."to_status" in ('pending', 'paid', 'expired', 'cancelled', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "payments" (
	"id" text PRIMARY KEY NOT NULL,
	"partner_id" text NOT NULL,
	"license_id" text NOT NULL,
	"transaction_id" text NOT NULL,
	"payment_type" text NOT NULL,
	"amount" integer NOT NULL,
	"description" text,
	"status" text DEFAULT 'pending' NOT NULL,
	"paid_late" boolean DEFAULT false NOT NULL,
	"amount_mismatch" boolean DEFAULT false NOT NULL,
	"paid_amount" integer,
	"order_id" text NOT NULL,
	"qr_content" text,
	"expires_at" timestamp with time zone NOT NULL,
	"paid_at" timestamp with time zone,
	"payer_info" jsonb,
	"items" jsonb,
	"customer" jsonb,
	"back_url" text,
	"webhook_url" text,
	"metadata" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payments_order_id_unique" UNIQUE("order_id"),
	CONSTRAINT "payments_amount_min" CHECK ("payments"."amount" >= 1000),
	CONSTRAINT "payments_paid_amount_positive" CHECK ("payments"."paid_amount" is null or "payments"."paid_amount" > 0),
	CONSTRAINT "payments_payment_type" CHECK ("payments"."payment_type" in ('QRIS', 'CHECKOUT_PAGE')),
	CONSTRAINT "payments_status" CHECK ("payments"."status" in ('pending', 'paid', 'expired', 'cancelled', 'failed')),
	CONSTRAINT "payments_paid_has_paid_at" CHECK ("payments"."status" <> 'paid' or "payments"."paid_at" is not null),
	CONSTRAINT "payments_paid_late_terminal" CHECK (not "payments"."paid_late" or "payments"."status" in ('expired', 'cancelled', 'failed'))
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "license_ledger" ADD CONSTRAINT "license_ledger_license_id_licenses_id_fk" FOREIGN KEY ("license_id") REFERENCES "licenses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "license_ledger" ADD CONSTRAINT "license_ledger_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "licenses" ADD CONSTRAINT "licenses_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payment_events" ADD CONSTRAINT "payment_events_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_license_id_licenses_id_fk" FOREIGN KEY ("license_id") REFERENCES "licenses"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "api_keys_partner_id_idx" ON "api_keys" USING btree ("partner_id");--> statement-breakpoint
CREATE INDEX "idempotency_keys_created_at_idx" ON "idempotency_keys" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "license_ledger_license_id_idx" ON "license_ledger" USING btree ("license_id");--> statement-breakpoint
CREATE UNIQUE INDEX "license_ledger_one_debit_per_payment" ON "license_ledger" USING btree ("payment_id") WHERE "license_ledger"."reason" = 'debit';--> statement-breakpoint
CREATE UNIQUE INDEX "license_ledger_one_refund_per_payment" ON "license_ledger" USING btree ("payment_id") WHERE "license_ledger"."reason" = 'refund';--> statement-breakpoint
CREATE INDEX "licenses_partner_id_idx" ON "licenses" USING btree ("partner_id");--> statement-breakpoint
CREATE INDEX "outbox_undelivered_idx" ON "outbox" USING btree ("available_at") WHERE "outbox"."delivered_at" is null;--> statement-breakpoint
CREATE INDEX "payment_events_payment_id_idx" ON "payment_events" USING btree ("payment_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "payments_partner_transaction_id" ON "payments" USING btree ("partner_id","transaction_id");--> statement-breakpoint
CREATE INDEX "payments_license_id_idx" ON "payments" USING btree ("license_id");--> statement-breakpoint
CREATE INDEX "payments_partner_created_idx" ON "payments" USING btree ("partner_id","created_at");--> statement-breakpoint
CREATE INDEX "payments_pending_expires_idx" ON "payments" USING btree ("expires_at") WHERE "payments"."status" = 'pending';