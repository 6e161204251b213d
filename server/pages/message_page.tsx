/**
 * A plain page with one message (no such hall, not allowed) and the way back.
 *
 * @module
 */
import type { Manifest } from "./layout.tsx";
import { Layout, PRODUCT_NAME } from "./layout.tsx";

/** A message with a link to the list of halls. */
export function MessagePage(
  { title, message, manifest }: { title: string; message: string; manifest: Manifest },
) {
  return (
    <Layout title={`${title} · ${PRODUCT_NAME}`} manifest={manifest}>
      <div class="start">
        <h1>{message}</h1>
        <p>
          <a href="/">返回大厅列表</a>
        </p>
      </div>
    </Layout>
  );
}
