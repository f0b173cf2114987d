// UTM parameters of a hub campaign. Shopify's marketing activity takes its UTM once and never lets
// it change, so `utm_campaign` is minted up front from the hub and the campaign key, the same way
// every time for the same pair.
import type { AdPlatform } from "./types";

export const UTM_CAMPAIGN_MAX = 64;

export const UTM_SOURCES: Record<AdPlatform, string> = { META: "facebook", GOOGLE: "google", SANDBOX: "sandbox" };
export const UTM_MEDIUMS: Record<AdPlatform, string> = { META: "paid_social", GOOGLE: "cpc", SANDBOX: "paid_social" };

const slug = (s: string) =>
  s
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9_-]+/g, "-")
    .replace(/-{2,}/g, "-")
    .replace(/^[-_]+|[-_]+$/g, "");

/** FNV-1a, 32 bits, as 8 hex digits: a stable tag that keeps a shortened UTM distinct. */
function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}

/**
 * `<hub>-<key>` in lower case, only [a-z0-9-_], at most 64 characters. A longer one keeps its
 * start and ends in a hash of the whole, so two long keys never mint the same UTM.
 */
export function mintUtmCampaign(hubHandle: string, campaignKey: string): string {
  const hub = slug(hubHandle) || "hub";
  const key = slug(campaignKey) || "campaign";
  const full = `${hub}-${key}`;
  if (full.length <= UTM_CAMPAIGN_MAX) return full;
  const tag = fnv1a(`${hubHandle}\u0000${campaignKey}`);
  const head = full.slice(0, UTM_CAMPAIGN_MAX - tag.length - 1).replace(/[-_]+$/, "");
  return `${head}-${tag}`;
}

export function campaignUtm(platform: AdPlatform, hubHandle: string, campaignKey: string): { campaign: string; source: string; medium: string } {
  return { campaign: mintUtmCampaign(hubHandle, campaignKey), source: UTM_SOURCES[platform], medium: UTM_MEDIUMS[platform] };
}
