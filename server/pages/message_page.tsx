/**
 * A plain page with one message (no such hall, not allowed) and the way back.
 *
 * @module
 */
import type { Manifest } from "./layout.tsx";
import { Layout, PRODUCT_NAME, useNav } from "./layout.tsx";

/**
 * A message with a way back the visitor may use: a signed-in person's own landing page, else the list
 * of halls.
 */
export function MessagePage(
  { title, message, manifest }: { title: string; message: string; manifest: Manifest },
) {
  const nav = useNav();
  return (
    <Layout title={`${title} · ${PRODUCT_NAME}`} manifest={manifest}>
      <div class="start">
        <h1>{message}</h1>
        <p>
          {nav ? <a href={nav.home}>返回我的工作页</a> : <a href="/">返回大厅列表</a>}
        </p>
      </div>
    </Layout>
  );
}
