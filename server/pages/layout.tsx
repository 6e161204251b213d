/**
 * The HTML shell of every server-rendered page, and the island placeholder. No inline executable
 * script anywhere: islands get their props from `<script type="application/json">` and load as
 * external modules, so the Content-Security-Policy can forbid inline scripts.
 *
 * @module
 */
import type { Context } from "hono";
import { type ComponentChildren, type ComponentType, createContext, h } from "preact";
import { useContext } from "preact/hooks";
import { renderToString } from "preact-render-to-string";
import { type Nav, NavBar, navOf } from "./nav.tsx";

/** The request's navigation bar, handed down by {@linkcode renderPage}. */
const NavContext = createContext<Nav | null>(null);

/**
 * Island (or stylesheet) name → URL of its bundle, e.g. `{"WallScreen": "/static/build/WallScreen-3FQ2K7.js"}`.
 * Built once at start-up (server/island_bundles.ts) and handed to the app in its deps.
 */
export type Manifest = Record<string, string>;

/** The product's name. */
export const PRODUCT_NAME = "监察台";

/** Props of {@linkcode Layout}. */
export interface LayoutProps {
  title: string;
  manifest: Manifest;
  /** Class on `<html>` (the wall screen scales its root font size to the display). */
  htmlClass?: string;
  children: ComponentChildren;
}

/** The request's navigation bar (null for anonymous visitors and display tokens). */
export function useNav(): Nav | null {
  return useContext(NavContext);
}

/** `<html lang="zh-CN">` with the stylesheet bundle. */
export function Layout({ title, manifest, htmlClass, children }: LayoutProps) {
  const nav = useContext(NavContext);
  return (
    <html lang="zh-CN" class={htmlClass}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="dark" />
        <title>{title}</title>
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
        {manifest["app.css"] && <link rel="stylesheet" href={manifest["app.css"]} />}
      </head>
      <body>
        {nav && htmlClass !== "wall-page" && <NavBar nav={nav} />}
        {children}
      </body>
    </html>
  );
}

/**
 * Render a page to a complete HTML document. With the request's context, desk pages get the
 * navigation bar of the signed-in person.
 */
export function renderPage(c: Context | null, page: preact.VNode): string {
  const nav = c ? navOf(c) : null;
  return "<!DOCTYPE html>" + renderToString(h(NavContext.Provider, { value: nav }, page));
}

/** Props of {@linkcode Island}. */
export interface IslandProps<P extends object> {
  name: string;
  component: ComponentType<P>;
  props: P;
  manifest: Manifest;
}

/** JSON safe inside a `<script>` element: `<` cannot close it. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c");
}

/**
 * An island: server-rendered for the first paint, then hydrated in the browser by its bundle with
 * the same props.
 */
export function Island<P extends object>({ name, component: Component, props, manifest }: IslandProps<P>) {
  const id = `${name}-props`;
  return (
    <>
      <div data-island={name} data-props={id}>
        {h(Component, props)}
      </div>
      <script type="application/json" id={id} dangerouslySetInnerHTML={{ __html: scriptJson(props) }} />
      {manifest[name] && <script type="module" src={manifest[name]} />}
    </>
  );
}
