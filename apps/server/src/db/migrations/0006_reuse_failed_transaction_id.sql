-- A payment that failed (the gateway never created it, its token was refunded) no longer holds its
-- partner's transaction_id: the partner may retry with the same id after a 502 GATEWAY_ERROR.
DROP INDEX "payments_partner_transaction_id";--> statement-breakpoint
CREATE UNIQUE INDEX "payments_partner_transaction_id" ON "payments" USING btree ("partner_id","transaction_id") WHERE "payments"."status" <> 'failed';
