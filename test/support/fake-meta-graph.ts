// A stand-in for Meta's Graph API as a real HTTP server (for tests whose app runs in other processes,
// where msw cannot reach): the documented shapes the Meta adapter uses, with state, so a test can
// count what the platform actually did.
//
//   GET  /act_<id>/minimum_budgets   {data: [{currency, min_daily_budget_imp, ...}]}
//   POST /act_<id>/campaigns         {id}  ({success: true} with execution_options ["validate_only"])
//   GET  /act_<id>/campaigns         {data: [{id, name, effective_status}]}, `filtering` on name EQUAL
//   POST /act_<id>/adsets            {id}
//   GET  /<campaign id>/adsets       {data: [{id, name, status, effective_status}]}
//   POST /<ad set id>                {success: true}; status ACTIVE | PAUSED, daily_budget
//   DELETE /<id>                     {success: true}
//   anything else                    Meta's error shape, code 100
//
// Each app process is given its own base URL, `${url}/p/<label>`, so every call says which process
// made it. `hangOnce(match)` makes the next matching call take effect on the platform and then never
// answer (the answer lost with the process that waits for it).
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface GraphCall {
  /** The process label from the URL (/p/<label>/...). */
  proc: string;
  method: string;
  /** Without the version: "act_1/campaigns", "<ad set id>". */
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown> | null;
  /** When the request arrived and when it was answered (null: never, it hung). */
  at: number;
  answeredAt: number | null;
}

export interface FakeCampaign {
  id: string;
  name: string;
  status: string;
  deleted: boolean;
}
export interface FakeAdSet {
  id: string;
  campaignId: string;
  name: string;
  status: string;
  dailyBudget: number;
}
export interface StatusTransition {
  adSetId: string;
  from: string;
  to: string;
  proc: string;
}

export interface FakeMetaGraph {
  url: string;
  /** The base URL one app process is given (META_GRAPH_URL). */
  baseFor(label: string): string;
  calls: GraphCall[];
  campaigns: Map<string, FakeCampaign>;
  adSets: Map<string, FakeAdSet>;
  /** Every effective status change of an ad set (a request that sets what it already is is none). */
  transitions: StatusTransition[];
  /** The next call that matches takes effect, then is never answered. */
  hangOnce(match: (call: GraphCall) => boolean): void;
  /** The calls left hanging so far. */
  hung: GraphCall[];
  close(): Promise<void>;
}

export async function startFakeMetaGraph(opts: { currency?: string; minDailyBudgetMinor?: number } = {}): Promise<FakeMetaGraph> {
  const calls: GraphCall[] = [];
  const campaigns = new Map<string, FakeCampaign>();
  const adSets = new Map<string, FakeAdSet>();
  const transitions: StatusTransition[] = [];
  const hung: GraphCall[] = [];
  const hangRules: Array<(call: GraphCall) => boolean> = [];
  const sockets = new Set<Socket>();
  let nextId = 120210000000001;
  const mint = () => String(nextId++);

  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      let data = "";
      req.setEncoding("utf8");
      req.on("data", (chunk: string) => (data += chunk));
      req.on("end", () => resolve(data));
      req.on("error", reject);
    });

  const send = (res: ServerResponse, call: GraphCall, status: number, json: unknown) => {
    call.answeredAt = Date.now();
    res.writeHead(status, { "Content-Type": "application/json" });
    res.end(JSON.stringify(json));
  };
  const graphError = (message: string) => ({ error: { message, type: "OAuthException", code: 100, fbtrace_id: "FakeTrace1" } });

  /** Applies the call to the platform's state; returns the answer. */
  function effect(call: GraphCall): [number, unknown] {
    const { method, path, body, query } = call;
    const parts = path.split("/");
    if (parts[0].startsWith("act_") && parts[1] === "minimum_budgets" && method === "GET") {
      const min = opts.minDailyBudgetMinor ?? 150;
      return [200, { data: [{ currency: opts.currency ?? "USD", min_daily_budget_imp: min, min_daily_budget_high_freq: min * 6, min_daily_budget_low_freq: min, min_daily_budget_video_views: min }] }];
    }
    if (parts[0].startsWith("act_") && parts[1] === "campaigns" && method === "POST") {
      if (Array.isArray(body?.execution_options) && body.execution_options.includes("validate_only")) return [200, { success: true }];
      if (typeof body?.name !== "string" || !Array.isArray(body.special_ad_categories)) return [400, graphError("name and special_ad_categories are required")];
      const id = mint();
      campaigns.set(id, { id, name: body.name, status: String(body.status ?? "PAUSED"), deleted: false });
      return [200, { id }];
    }
    if (parts[0].startsWith("act_") && parts[1] === "campaigns" && method === "GET") {
      let rows = [...campaigns.values()].filter((c) => !c.deleted);
      const filtering = query.get("filtering");
      if (filtering) {
        const filters = JSON.parse(filtering) as Array<{ field: string; operator: string; value: unknown }>;
        for (const f of filters) {
          if (f.field === "name" && f.operator === "EQUAL") rows = rows.filter((c) => c.name === f.value);
          else return [400, graphError(`unsupported filter ${f.field} ${f.operator}`)];
        }
      }
      return [200, { data: rows.map((c) => ({ id: c.id, name: c.name, effective_status: c.status })) }];
    }
    if (parts[0].startsWith("act_") && parts[1] === "adsets" && method === "POST") {
      const campaignId = String(body?.campaign_id ?? "");
      if (!campaigns.has(campaignId) || campaigns.get(campaignId)!.deleted) return [400, graphError(`campaign_id ${campaignId} does not exist`)];
      if (typeof body?.daily_budget !== "number") return [400, graphError("daily_budget must be an integer")];
      const id = mint();
      adSets.set(id, { id, campaignId, name: String(body.name ?? ""), status: String(body.status ?? "PAUSED"), dailyBudget: body.daily_budget });
      return [200, { id }];
    }
    if (parts.length === 2 && parts[1] === "adsets" && method === "GET") {
      const rows = [...adSets.values()].filter((a) => a.campaignId === parts[0]);
      return [200, { data: rows.map((a) => ({ id: a.id, name: a.name, status: a.status, effective_status: a.status })) }];
    }
    if (parts.length === 1 && adSets.has(parts[0]) && method === "POST") {
      const adSet = adSets.get(parts[0])!;
      if (typeof body?.status === "string" && body.status !== adSet.status) {
        transitions.push({ adSetId: adSet.id, from: adSet.status, to: body.status, proc: call.proc });
        adSet.status = body.status;
      }
      if (typeof body?.daily_budget === "number") adSet.dailyBudget = body.daily_budget;
      return [200, { success: true }];
    }
    if (parts.length === 1 && method === "DELETE") {
      const campaign = campaigns.get(parts[0]);
      if (campaign) campaign.deleted = true;
      else adSets.delete(parts[0]);
      return [200, { success: true }];
    }
    return [400, graphError(`Unsupported request ${method} ${path}`)];
  }

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://fake");
      const match = /^\/p\/([^/]+)\/v\d+\.\d+\/(.*)$/.exec(url.pathname);
      const raw = await readBody(req);
      let body: Record<string, unknown> | null = null;
      try {
        body = raw ? (JSON.parse(raw) as Record<string, unknown>) : null;
      } catch {
        body = null;
      }
      const call: GraphCall = { proc: match?.[1] ?? "?", method: req.method ?? "GET", path: match?.[2] ?? url.pathname, query: url.searchParams, body, at: Date.now(), answeredAt: null };
      calls.push(call);
      if (!match) return send(res, call, 404, graphError(`unknown path ${url.pathname}`));
      const [status, json] = effect(call);
      const rule = hangRules.findIndex((m) => m(call));
      if (rule >= 0) {
        // Done on the platform, the answer never sent: the process waiting for it is killed.
        hangRules.splice(rule, 1);
        hung.push(call);
        return;
      }
      send(res, call, status, json);
    })().catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    baseFor: (label) => `${url}/p/${label}`,
    calls,
    campaigns,
    adSets,
    transitions,
    hung,
    hangOnce: (m) => void hangRules.push(m),
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
