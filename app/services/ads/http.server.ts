// The one HTTP call the ad adapters make: JSON in, JSON out, the bearer token in a header (never in
// the URL, so an AdRequest shown in a dry run or stored in the change log carries no secret), and
// each platform's error shape turned into an AdPlatformError by the caller's parser.
import type { AdPlatform } from "~/core/promotions/types";
import { AdPlatformError, type AdRequest } from "./types";

export interface AdHttpOptions {
  fetch?: typeof fetch;
  /** Per call; default 30 s. */
  timeoutMs?: number;
}

export interface AdHttpAnswer {
  status: number;
  headers: Headers;
  /** The parsed JSON, or null when the body was not JSON. */
  json: unknown;
  text: string;
}

export async function sendAdRequest(
  platform: AdPlatform,
  request: AdRequest,
  headers: Record<string, string>,
  options: AdHttpOptions = {},
): Promise<AdHttpAnswer> {
  const doFetch = options.fetch ?? fetch;
  const init: RequestInit = {
    method: request.method,
    headers: { Accept: "application/json", ...headers, ...(request.body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: request.body === undefined ? undefined : JSON.stringify(request.body),
    signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
  };
  let response: Response;
  try {
    response = await doFetch(request.url, init);
  } catch (error) {
    // Network failure or timeout: the platform may be fine a moment later.
    const why = error instanceof Error ? error.message : String(error);
    throw new AdPlatformError(`${platform} could not be reached: ${why}`, platform, { retryable: true });
  }
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: response.status, headers: response.headers, json, text };
}

/** Retry-After as seconds or an HTTP date, in ms; undefined when absent or unreadable. */
export function retryAfterMs(headers: Headers, nowMs = Date.now()): number | undefined {
  const value = headers.get("retry-after");
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
