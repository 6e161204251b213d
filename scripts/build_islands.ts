/**
 * `deno task build [--force]`: bundle the islands and the stylesheet into `static/build/` and print
 * the manifest (server/island_bundles.ts does the work; the server runs the same build at start-up).
 *
 * @module
 */
import { buildIslands } from "../server/island_bundles.ts";

if (import.meta.main) {
  const manifest = await buildIslands({ force: Deno.args.includes("--force") });
  console.log(JSON.stringify(manifest, null, 2));
}
