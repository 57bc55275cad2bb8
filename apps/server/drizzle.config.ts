// drizzle-kit configuration: `npm run db:generate -w quickcart` writes a new SQL migration into
// src/db/migrations/ from the schema. Migrations are applied by src/db/migrate.ts on either driver.
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './src/db/migrations',
});
