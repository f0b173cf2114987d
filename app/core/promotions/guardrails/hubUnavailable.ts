import { z } from "zod";
import { reason } from "../../network/reasons";
import { defineStrategy } from "../../rules/registry";
import type { Guardrail } from "./types";

/** The hub is gated (switched off, capacity full, permit lapsed, closed today): core/network/availability, purpose CAMPAIGN. */
export const hubUnavailable = defineStrategy({
  code: "HUB_UNAVAILABLE",
  label: "Pause while the hub may not take part in a campaign",
  args: z.object({}),
  build: (): Guardrail => (s) =>
    s.availability.available
      ? { action: "RUN", reason: reason("CAMPAIGN_HUB_AVAILABLE", { hub: s.hubName ?? null }) }
      : {
          action: "PAUSE",
          reason: reason("CAMPAIGN_HUB_UNAVAILABLE", { hub: s.hubName ?? "the hub", why: s.availability.reasons.map((r) => r.message) }),
        },
});
