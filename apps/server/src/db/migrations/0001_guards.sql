-- Guards the database itself keeps, whatever code runs against it:
-- 1. a payment's status changes only from 'pending' (terminal states never change);
-- 2. license_ledger and payment_events are append-only.
-- Objects are created unqualified, in the schema search_path selects, like every migration.
CREATE FUNCTION quickcart_refuse_terminal_status_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status <> 'pending' AND NEW.status IS DISTINCT FROM OLD.status THEN
    RAISE EXCEPTION 'payment % is % (terminal) and cannot become %', OLD.id, OLD.status, NEW.status
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER payments_terminal_status_guard BEFORE UPDATE OF status ON payments
  FOR EACH ROW EXECUTE FUNCTION quickcart_refuse_terminal_status_change();
--> statement-breakpoint
CREATE FUNCTION quickcart_refuse_append_only_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'check_violation';
END
$$;
--> statement-breakpoint
CREATE TRIGGER license_ledger_append_only BEFORE UPDATE OR DELETE ON license_ledger
  FOR EACH ROW EXECUTE FUNCTION quickcart_refuse_append_only_change();
--> statement-breakpoint
CREATE TRIGGER payment_events_append_only BEFORE UPDATE OR DELETE ON payment_events
  FOR EACH ROW EXECUTE FUNCTION quickcart_refuse_append_only_change();
