import assert from "node:assert/strict";
import { buildIslands, ISLANDS } from "./island_bundles.ts";

Deno.test("buildIslands() writes hashed bundles and a manifest, and reuses them while sources are unchanged", async () => {
  const outDir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${outDir}/WallScreen-OLDBUILD.js`, "stale");
    const manifest = await buildIslands({ outDir, force: true });
    for (const name of ISLANDS) {
      assert.match(manifest[name], new RegExp(`^/static/build/${name}-[A-Z0-9]+\\.js$`));
    }
    assert.match(manifest["app.css"], /^\/static\/build\/app-[A-Z0-9]+\.css$/);
    assert.deepEqual(JSON.parse(await Deno.readTextFile(`${outDir}/manifest.json`)), manifest);

    // With several islands the shared code (Preact, the mount helper) sits in chunks the entries import.
    let js = "";
    for await (const e of Deno.readDir(outDir)) {
      if (e.name.endsWith(".js")) js += await Deno.readTextFile(`${outDir}/${e.name}`);
    }
    assert.doesNotMatch(js, /jsxTemplate|jsxAttr/, "client JSX must not be precompiled");
    // With several islands, code they share (the mount helper) sits in a chunk the entry imports.
    const chunks = await Promise.all(
      [...js.matchAll(/"\.\/(chunk-[A-Z0-9]+\.js)"/g)].map((m) => Deno.readTextFile(`${outDir}/${m[1]}`)),
    );
    assert.match([js, ...chunks].join("\n"), /data-island/, "the entry mounts the island");
    const css = await Deno.readTextFile(`${outDir}/${manifest["app.css"].split("/").pop()}`);
    assert.match(css, /\.uplot/, "uPlot's stylesheet is bundled");
    await assert.rejects(Deno.stat(`${outDir}/WallScreen-OLDBUILD.js`), "earlier bundles are removed");
    const { brotliDecompressSync, gunzipSync } = await import("node:zlib");
    const base = `${outDir}/${manifest.WallScreen.split("/").pop()}`;
    const entry = await Deno.readTextFile(base);
    assert.equal(brotliDecompressSync(await Deno.readFile(`${base}.br`)).toString("utf8"), entry, "br copy");
    assert.equal(gunzipSync(await Deno.readFile(`${base}.gz`)).toString("utf8"), entry, "gzip copy");

    const before = (await Deno.stat(`${outDir}/manifest.json`)).mtime;
    assert.deepEqual(await buildIslands({ outDir }), manifest);
    assert.deepEqual((await Deno.stat(`${outDir}/manifest.json`)).mtime, before, "cached: not rebuilt");
  } finally {
    await Deno.remove(outDir, { recursive: true });
  }
});

Deno.test("buildIslands() rebuilds when a bundle named by the manifest has gone", async () => {
  const outDir = await Deno.makeTempDir();
  try {
    const manifest = await buildIslands({ outDir, force: true });
    await Deno.remove(`${outDir}/${manifest.WallScreen.split("/").pop()}`);
    const again = await buildIslands({ outDir });
    await Deno.stat(`${outDir}/${again.WallScreen.split("/").pop()}`);
  } finally {
    await Deno.remove(outDir, { recursive: true });
  }
});

Deno.test("buildIslands() counts the shared modules the islands import (the wire types) among its sources", async () => {
  const outDir = await Deno.makeTempDir();
  try {
    await buildIslands({ outDir, force: true });
    const record = JSON.parse(await Deno.readTextFile(`${outDir}/.source-hash`));
    assert.ok(record.shared.includes("server/live/wire.ts"), JSON.stringify(record.shared));
    assert.ok(!record.shared.some((f: string) => f.startsWith("node_modules/")));
  } finally {
    await Deno.remove(outDir, { recursive: true });
  }
});
