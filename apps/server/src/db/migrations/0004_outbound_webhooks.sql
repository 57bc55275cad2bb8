CREATE TABLE "webhook_attempts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"outbox_id" bigint NOT NULL,
	"attempt" integer NOT NULL,
	"url" text NOT NULL,
	"status_code" integer,
	"latency_ms" integer NOT NULL,
	"response_body" text,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_disabled_endpoints" (
	"partner_id" text NOT NULL,
	"url" text NOT NULL,
	"status_code" integer NOT NULL,
	"disabled_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "webhook_disabled_endpoints_partner_id_url_pk" PRIMARY KEY("partner_id","url")
);
--> statement-breakpoint
DROP INDEX "outbox_undelivered_idx";--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "event_id" text DEFAULT 'msg_' || replace(gen_random_uuid()::text, '-', '') NOT NULL;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "partner_id" text;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "payment_id" text;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "target_url" text;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "lease_token" text;--> statement-breakpoint
ALTER TABLE "outbox" ADD COLUMN "failed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "partners" ADD COLUMN "webhook_secret_previous" text;--> statement-breakpoint
ALTER TABLE "partners" ADD COLUMN "webhook_secret_previous_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "partners" ADD COLUMN "webhook_events" text[] DEFAULT ARRAY['payment.success']::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "webhook_attempts" ADD CONSTRAINT "webhook_attempts_outbox_id_outbox_id_fk" FOREIGN KEY ("outbox_id") REFERENCES "outbox"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_disabled_endpoints" ADD CONSTRAINT "webhook_disabled_endpoints_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "webhook_attempts_outbox_id_idx" ON "webhook_attempts" USING btree ("outbox_id","id");--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_payment_id_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "payments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "outbox_due_idx" ON "outbox" USING btree ("topic","available_at") WHERE "outbox"."delivered_at" is null and "outbox"."failed_at" is null;--> statement-breakpoint
CREATE INDEX "outbox_payment_id_idx" ON "outbox" USING btree ("payment_id");--> statement-breakpoint
CREATE INDEX "outbox_partner_created_idx" ON "outbox" USING btree ("partner_id","created_at");--> statement-breakpoint
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_event_id_unique" UNIQUE("event_id");--> statement-breakpoint
ALTER TABLE "partners" ADD CONSTRAINT "partners_webhook_events" CHECK ("partners"."webhook_events" <@ ARRAY['payment.success', 'payment.expired', 'payment.cancelled']::text[] and 'payment.success' = any("partners"."webhook_events"));