/**
 * A plain page for an unknown hall, with the way back.
 *
 * @module
 */
import type { Manifest } from "../../scripts/build_islands.ts";
import { Layout, PRODUCT_NAME } from "./layout.tsx";

/** "No such hall" with a link to the list. */
export function NotFoundPage({ message, manifest }: { message: string; manifest: Manifest }) {
  return (
    <Layout title={`未找到 · ${PRODUCT_NAME}`} manifest={manifest}>
      <div class="start">
        <h1>{message}</h1>
        <p>
          <a href="/">返回大厅列表</a>
        </p>
      </div>
    </Layout>
  );
}
