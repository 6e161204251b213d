import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import { NavBar, navLinks } from "./nav.tsx";

const hrefs = (role: Parameters<typeof navLinks>[0]) => navLinks(role).map((l) => l.href);

Deno.test("navLinks() offers each role only the pages its permissions open", () => {
  assert.deepEqual(hrefs("province"), [
    "/",
    "/cases",
    "/queue",
    "/spot-checks",
    "/orders",
    "/reports",
    "/audit",
  ]);
  assert.deepEqual(hrefs("department"), ["/cases", "/orders"]);
  assert.deepEqual(hrefs("hall_manager"), ["/"]);
  assert.deepEqual(hrefs("director"), ["/cases", "/orders", "/reports"]);
  assert.deepEqual(hrefs("admin"), ["/admin"]);
});

Deno.test("NavBar marks the current page and logs out by a form post carrying the CSRF token", () => {
  const html = renderToString(
    <NavBar
      nav={{
        user: "郑州市电子监察室",
        home: "/",
        role: "市县监察机构",
        path: "/cases/C1",
        links: navLinks("region"),
        csrf: "tok",
      }}
    />,
  );
  assert.match(html, /<a href="\/cases" aria-current="page">办件时限<\/a>/);
  assert.doesNotMatch(html, /<a href="\/" aria-current/);
  assert.match(
    html,
    /<form method="post" action="\/logout"[^>]*><input type="hidden" name="_csrf" value="tok"\/>/,
  );
  assert.doesNotMatch(html, /<script/);
});
