// Which request (or job) the code is working for, without passing it down every call: an
// AsyncLocalStorage the HTTP server opens per request (server.mjs, with the request's id) and the
// job engine per attempt (define.server.ts runWithTimeout, with the id of the request that enqueued
// the job). Every log line carries it (logger.server.ts), so one id follows a webhook from its route
// through the services into the job it enqueued.
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";

export interface RequestContext {
  /** The request's id (X-Request-Id, or one made for it), or for a job the id of the request that enqueued it. */
  requestId: string;
  /** The shop being served, once a route or job knows it (its *.myshopify.com domain). */
  shop?: string;
  /** The job being run, in a job's context. */
  job?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `fn` in a context of its own. */
export function withRequestContext<T>(ctx: RequestContext, fn: () => T): T {
  return storage.run(ctx, fn);
}

export function requestContext(): RequestContext | undefined {
  return storage.getStore();
}

/** Names the shop in the current context (the logs then carry it). */
export function setRequestShop(shop: string): void {
  const ctx = storage.getStore();
  if (ctx) ctx.shop = shop;
}

const SAFE_ID = /^[A-Za-z0-9._:-]{8,100}$/;

/** The caller's X-Request-Id when it is a plain token of 8–100 characters, else a new one. */
export function requestIdFrom(header: string | string[] | undefined | null): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value && SAFE_ID.test(value) ? value : randomUUID();
}
