/**
 * The error page of every HTML route (app.onError / app.notFound in server/app.ts): the status in
 * Chinese, the reason, and a way back the visitor may use — their own landing page when signed in,
 * the login page otherwise. `/api/` routes answer the same errors as JSON.
 *
 * @module
 */
import type { Manifest } from "./layout.tsx";
import { Layout, PRODUCT_NAME } from "./layout.tsx";

/** Titles of the statuses a page can answer. */
export const ERROR_TITLES: Record<number, string> = {
  400: "请求有误",
  401: "需要登录",
  403: "无权访问",
  404: "页面不存在",
  409: "操作冲突",
  413: "内容过大",
  415: "格式不支持",
  422: "无法处理",
  429: "请求过于频繁",
  500: "服务器内部错误",
  503: "服务暂不可用",
};

/** Props of {@linkcode ErrorPage}. */
export interface ErrorPageProps {
  status: number;
  message: string;
  /** Where the way back leads, and its words. */
  back: { href: string; text: string };
  manifest: Manifest;
}

/** A reason without its English gloss in brackets ("没有此办件 (no such case)" → "没有此办件"). */
export function chineseOnly(message: string): string {
  const cut = message.replace(/\s*\([^()]*[A-Za-z][^()]*\)\s*$/, "").trim();
  return /[\u4e00-\u9fff]/.test(cut) ? cut : "";
}

/** The page. */
export function ErrorPage({ status, message, back, manifest }: ErrorPageProps) {
  const title = ERROR_TITLES[status] ?? "出错了";
  const reason = chineseOnly(message);
  return (
    <Layout title={`${title} · ${PRODUCT_NAME}`} manifest={manifest}>
      <main class="start error-page" data-status={status}>
        <h1>{title}</h1>
        {reason && reason !== title && <p class="error-reason">{reason}</p>}
        <p>
          <a href={back.href} class="error-back">{back.text}</a>
        </p>
      </main>
    </Layout>
  );
}
