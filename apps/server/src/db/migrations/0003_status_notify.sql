-- Every status change of a payment is announced with NOTIFY, by the database itself: whatever
-- code makes the change (service, webhook, sweeper, CLI, another instance), listeners learn of it
-- the moment the transaction commits, and never of a change that was rolled back.
-- Channel: quickcart_payments_<schema of the table> (each PostgreSQL test schema has its own);
-- payload: '<payment id>:<new status>'. Unqualified, like every migration.
CREATE FUNCTION quickcart_notify_payment_status() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('quickcart_payments_' || TG_TABLE_SCHEMA, NEW.id || ':' || NEW.status);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER payments_status_notify AFTER UPDATE OF status ON payments
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
  EXECUTE FUNCTION quickcart_notify_payment_status();
