// The campaigns service (issue 15): what the admin pages and the open API call. See ./types.ts for
// the views; the jobs (campaigns.apply, campaigns.guard, campaigns.guard-hub) are defined beside
// their work and listed in app/services/jobs/all.server.ts.
export { planCampaign, planRequestSchema, type PlanRequest } from "./plan.server";
export { launchCampaign, launchRequestSchema, type LaunchRequest } from "./launch.server";
export { campaignDetail, listCampaigns, setCampaignState, type MerchantAction } from "./views.server";
export { checkCampaignGuardrails, checkHubGuardrails, enqueueHubGuards } from "./guardrails.server";
export { applyChange } from "./apply.server";
export { listAdConnections } from "../ads/connections.server";
export * from "./types";
