import assert from "node:assert/strict";
import { gunzipSync } from "node:zlib";
import { openTestApp } from "../testing.ts";
import { preferredEncoding } from "./static.ts";
import { createApp } from "../app.ts";
import { LiveHub } from "../live/hub.ts";

const t = await openTestApp("2024-09-02T10:00:00+08:00");

Deno.test("large JSON answers are gzip-compressed for clients that accept it, plain for the others", async () => {
  const res = await t.send("GET", "/api/v1/calendar", undefined, { "accept-encoding": "gzip, br" });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-encoding"), "gzip");
  assert.match(res.headers.get("vary") ?? "", /accept-encoding/i);
  const body = JSON.parse(gunzipSync(new Uint8Array(await res.arrayBuffer())).toString("utf8"));
  const plain = await t.send("GET", "/api/v1/calendar");
  assert.equal(plain.headers.get("content-encoding"), null);
  assert.deepEqual(body, await plain.json());
});

Deno.test("the event stream is never compressed", async () => {
  const hub = new LiveHub(t.deps, { tickMs: 0, pingMs: 0 });
  await hub.start();
  const app = createApp({ ...t.deps, live: hub });
  const ac = new AbortController();
  const res = await app.request("/api/v1/stream", {
    headers: { ...await t.sessionFor("province"), "accept-encoding": "gzip, deflate, br" },
    signal: ac.signal,
  });
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type") ?? "", /^text\/event-stream/);
  assert.equal(res.headers.get("content-encoding"), null);
  const reader = res.body!.getReader();
  const first = new TextDecoder().decode((await reader.read()).value);
  assert.match(first, /retry:|event:/, "the first chunk is readable SSE text");
  ac.abort();
  await reader.cancel().catch(() => {});
  await hub.stop();
});

Deno.test("preferredEncoding() takes br before gzip and honours q=0", () => {
  assert.equal(preferredEncoding("gzip, deflate, br"), "br");
  assert.equal(preferredEncoding("gzip;q=1, br;q=0"), "gzip");
  assert.equal(preferredEncoding("identity"), null);
  assert.equal(preferredEncoding("*"), "br");
  assert.equal(preferredEncoding(undefined), null);
});

Deno.test("hashed bundles are sent precompressed (br) with immutable caching", async () => {
  const dir = new URL("../../static/build/", import.meta.url).pathname;
  const name = `compress-test-${crypto.randomUUID().slice(0, 8)}.js`;
  const text = "console.log('x');\n".repeat(200);
  const { brotliCompressSync } = await import("node:zlib");
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(dir + name, text);
  await Deno.writeFile(`${dir}${name}.br`, brotliCompressSync(new TextEncoder().encode(text)));
  try {
    const res = await t.app.request(`/static/build/${name}`, { headers: { "accept-encoding": "gzip, br" } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-encoding"), "br");
    assert.match(res.headers.get("cache-control") ?? "", /immutable/);
    const { brotliDecompressSync } = await import("node:zlib");
    assert.equal(brotliDecompressSync(new Uint8Array(await res.arrayBuffer())).toString("utf8"), text);
    const gz = await t.app.request(`/static/build/${name}`, { headers: { "accept-encoding": "gzip" } });
    assert.equal(gz.headers.get("content-encoding"), "gzip", "no .gz copy: compressed on the fly");
    assert.equal(gunzipSync(new Uint8Array(await gz.arrayBuffer())).toString("utf8"), text);
  } finally {
    await Deno.remove(dir + name).catch(() => {});
    await Deno.remove(`${dir}${name}.br`).catch(() => {});
  }
});

Deno.test.afterAll(async () => {
  await t.database.drop();
});
