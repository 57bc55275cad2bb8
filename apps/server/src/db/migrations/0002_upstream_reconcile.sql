ALTER TABLE "payments" ADD COLUMN "upstream_txn_id" text;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "reconcile_after" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "reconcile_attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "payments_pending_reconcile_idx" ON "payments" USING btree ("reconcile_after") WHERE "payments"."status" = 'pending';