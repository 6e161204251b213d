import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  schema: ["./db/schema.ts", "./db/schema_auth.ts", "./db/schema_supervision.ts", "./db/schema_desk.ts"],
  out: "./db/migrations",
});
