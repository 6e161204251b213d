/**
 * Bundles each island (and the stylesheet) into `static/build/` with content-hashed names and writes
 * `static/build/manifest.json`, e.g. `{"WallScreen": "/static/build/WallScreen-3FQ2K7.js",
 * "app.css": "/static/build/app-Q4C1.css"}`. The client uses `jsx: automatic` with Preact (never
 * "precompile", which renders nothing in the browser). A hash of the sources is kept beside the
 * manifest so a server start with unchanged sources does not run esbuild at all.
 *
 * Run once: by `deno task build [--force]` (scripts/build_islands.ts) and by `server/main.ts` at
 * start-up, which hands the manifest to the app in its deps; requests read it from memory.
 *
 * @module
 */

/** The islands to bundle: `islands/<Name>.tsx` exporting a component named `<Name>`. */
export const ISLANDS = [
  "WallScreen",
  "ReportCharts",
  "PrintButton",
  "ProvinceOverview",
  "CaseDesk",
  "CalendarGrid",
] as const;

import { brotliCompressSync, constants as zlibConstants, gzipSync } from "node:zlib";
import type { Manifest } from "./pages/layout.tsx";

export type { Manifest };

/** Options of {@linkcode buildIslands}. */
export interface BuildOptions {
  /** Where bundles go; default `static/build/` of this repository. */
  outDir?: string;
  /** Rebuild even when the sources did not change. */
  force?: boolean;
}

const ROOT = new URL("../", import.meta.url);
const path = (rel: string) => new URL(rel, ROOT).pathname;
const ISLANDS_DIR = path("islands/");
const CSS_ENTRY = path("static/css/app.css");
/** URL prefix that `static/` is served under. */
const PUBLIC_PREFIX = "/static/build/";
const HASH_FILE = ".source-hash";

const inFlight = new Map<string, Promise<Manifest>>();

/** Build the bundles if the sources changed (or `force`); resolves to the manifest. */
export function buildIslands(opts: BuildOptions = {}): Promise<Manifest> {
  const outDir = opts.outDir ?? path("static/build/");
  // One build at a time per folder: concurrent first requests share it.
  const pending = inFlight.get(outDir);
  if (pending) return pending;
  const run = doBuild(outDir, opts.force ?? false).finally(() => inFlight.delete(outDir));
  inFlight.set(outDir, run);
  return run;
}

/** What the hash file keeps: the sources' hash and the modules outside islands/ the bundles import. */
interface SourceRecord {
  hash: string;
  /** Repository-relative paths, e.g. `server/live/wire.ts` (the shared wire types). */
  shared: string[];
}

async function doBuild(outDir: string, force: boolean): Promise<Manifest> {
  const manifestFile = `${outDir}/manifest.json`;
  if (!force) {
    const previous = await readRecord(outDir);
    if (previous && previous.hash === await hashSources(previous.shared)) {
      const cached = await readCached(outDir, manifestFile);
      if (cached) return cached;
    }
  }
  await Deno.mkdir(outDir, { recursive: true });
  const { manifest, files, shared } = await bundle(outDir);
  for (const f of [...files]) for (const extra of await precompress(`${outDir}/${f}`)) files.add(extra);
  await writeAtomically(manifestFile, JSON.stringify(manifest, null, 2) + "\n");
  const record: SourceRecord = { hash: await hashSources(shared), shared };
  await writeAtomically(`${outDir}/${HASH_FILE}`, JSON.stringify(record));
  await removeStale(outDir, files);
  return manifest;
}

async function readRecord(outDir: string): Promise<SourceRecord | null> {
  try {
    const record = JSON.parse(await Deno.readTextFile(`${outDir}/${HASH_FILE}`)) as SourceRecord;
    return typeof record.hash === "string" && Array.isArray(record.shared) ? record : null;
  } catch {
    return null;
  }
}

async function bundle(outDir: string): Promise<{ manifest: Manifest; files: Set<string>; shared: string[] }> {
  const esbuild = await import("esbuild");
  try {
    const entryPoints: Record<string, string> = { app: CSS_ENTRY };
    for (const name of ISLANDS) entryPoints[name] = `island-entry:${name}`;
    const result = await esbuild.build({
      entryPoints,
      outdir: outDir,
      entryNames: "[name]-[hash]",
      chunkNames: "chunk-[hash]",
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "browser",
      target: ["es2022", "chrome110"],
      jsx: "automatic",
      jsxImportSource: "preact",
      minify: true,
      metafile: true,
      write: true,
      logLevel: "silent",
      absWorkingDir: path("./"),
      plugins: [islandEntries()],
    });
    const manifest: Manifest = {};
    const files = new Set<string>();
    for (const [file, out] of Object.entries(result.metafile.outputs)) {
      const base = file.split("/").pop()!;
      files.add(base);
      const url = PUBLIC_PREFIX + base;
      if (out.entryPoint?.startsWith("island-entry:")) manifest[out.entryPoint.split(":").pop()!] = url;
      else if (out.entryPoint && file.endsWith(".css")) manifest["app.css"] = url;
    }
    // Local modules outside islands/ and static/css/ the bundles took in (e.g. server/live/wire.ts):
    // their content is part of the sources' hash from now on.
    const shared = Object.keys(result.metafile.inputs)
      .filter((f) => !f.includes(":") && !/^(node_modules|islands|static\/css)\//.test(f)).sort();
    return { manifest, files, shared };
  } finally {
    await esbuild.stop();
  }
}

/** Virtual entry per island: import the component and hydrate it. */
function islandEntries(): import("esbuild").Plugin {
  return {
    name: "island-entries",
    setup(build) {
      build.onResolve(
        { filter: /^island-entry:/ },
        (args) => ({ path: args.path, namespace: "island-entry" }),
      );
      build.onLoad({ filter: /.*/, namespace: "island-entry" }, (args) => {
        const name = args.path.slice("island-entry:".length);
        return {
          contents: `import { ${name} } from "./${name}.tsx";\n` +
            `import { mountIsland } from "./mount.ts";\nmountIsland(${JSON.stringify(name)}, ${name});\n`,
          resolveDir: ISLANDS_DIR,
          loader: "ts",
        };
      });
    },
  };
}

/**
 * SHA-256 over the island sources, the stylesheets, the `shared` modules the bundles import from
 * elsewhere, deno.json, the lockfile and this script.
 */
async function hashSources(shared: readonly string[]): Promise<string> {
  const files: string[] = [
    path("deno.json"),
    path("deno.lock"),
    new URL(import.meta.url).pathname,
    ...shared.map(path),
  ];
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(dir)) {
      const p = `${dir}${e.name}`;
      if (e.isDirectory) await walk(`${p}/`);
      else if (/\.(tsx?|css)$/.test(e.name) && !/_test\.tsx?$/.test(e.name)) files.push(p);
    }
  };
  await walk(ISLANDS_DIR);
  await walk(path("static/css/"));
  files.sort();
  const parts: Uint8Array[] = [];
  const enc = new TextEncoder();
  for (const f of files) {
    parts.push(enc.encode(`\0${f.slice(path("./").length)}\0`));
    parts.push(await Deno.readFile(f).catch(() => new Uint8Array()));
  }
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    all.set(p, offset);
    offset += p.length;
  }
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", all));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

async function readCached(outDir: string, manifestFile: string): Promise<Manifest | null> {
  try {
    const manifest = JSON.parse(await Deno.readTextFile(manifestFile)) as Manifest;
    for (const url of Object.values(manifest)) {
      await Deno.stat(`${outDir}/${url.slice(PUBLIC_PREFIX.length)}`);
    }
    return manifest;
  } catch {
    return null;
  }
}

async function writeAtomically(file: string, text: string): Promise<void> {
  const tmp = `${file}.${crypto.randomUUID()}.tmp`;
  await Deno.writeTextFile(tmp, text);
  await Deno.rename(tmp, file);
}

/**
 * Write `<file>.br` and `<file>.gz` beside a bundle (compressed once at build time with the highest
 * settings, served by server/routes/static.ts to clients that accept them); returns their names.
 */
async function precompress(file: string): Promise<string[]> {
  const data = await Deno.readFile(file);
  const base = file.split("/").pop()!;
  const br = brotliCompressSync(data, {
    params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: data.length },
  });
  await Deno.writeFile(`${file}.br`, br);
  await Deno.writeFile(`${file}.gz`, gzipSync(data, { level: 9 }));
  return [`${base}.br`, `${base}.gz`];
}

/** Remove the bundles of earlier builds: every .js/.css file (and its compressed copies) not written now. */
async function removeStale(outDir: string, keep: Set<string>): Promise<void> {
  for await (const e of Deno.readDir(outDir)) {
    if (e.isFile && /\.(js|css)(\.br|\.gz)?$/.test(e.name) && !keep.has(e.name)) {
      await Deno.remove(`${outDir}/${e.name}`).catch(() => {});
    }
  }
}
