// Permits as stored, read the one way: rows to core permits, and what a shop's permits can be
// attached to. The repository (changes), the reminders job and the network snapshot all read through it.
import type { Permit as PermitRow } from "@prisma/client";
import { z } from "zod";
import type { Permit, PermitSubjects } from "~/core/permits";
import { PERMIT_GATES } from "~/core/permits/kinds";
import { db } from "~/db.server";
import type { Tx } from "../config-version.server";
import { getShopShipping } from "../shipping-settings.server";

const jsonList = <T extends z.ZodType>(schema: T, text: string, fallback: z.infer<T>): z.infer<T> => {
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : fallback;
  } catch {
    return fallback;
  }
};

export function toPermit(row: PermitRow): Permit {
  return {
    id: row.id,
    version: row.version,
    subjectType: row.subjectType as Permit["subjectType"],
    subjectId: row.subjectId,
    kind: row.kind,
    title: row.title,
    jurisdiction: row.jurisdiction,
    number: row.number,
    issuer: row.issuer,
    issuedOn: row.issuedOn,
    expiresOn: row.expiresOn,
    recurrence: row.recurrence as Permit["recurrence"],
    graceDays: row.graceDays,
    leadDays: row.leadDays,
    feeMinor: row.feeMinor,
    owner: row.owner,
    ownerEmail: row.ownerEmail,
    // A gate this build does not know is dropped rather than failing the whole network.
    gates: jsonList(z.array(z.string()), row.gatesJson, []).filter((g): g is Permit["gates"][number] => (PERMIT_GATES as readonly string[]).includes(g)),
    suspended: row.suspended,
    suspendedReason: row.suspendedReason,
    reminderOffsetsDays: jsonList(z.array(z.number().int()), row.reminderOffsetsJson, [60, 30, 7, 1]),
    notes: row.notes,
  };
}

/** What permits can be attached to in the shop, with what the core needs to place them in time. */
export interface ShopPermitSubjects extends PermitSubjects {
  nodes: (PermitSubjects["nodes"][number] & { kind: string; city: string; province: string | null; country: string; acceptsReturns: boolean })[];
}

export async function loadPermitSubjects(shopId: string, client: Tx | typeof db = db): Promise<ShopPermitSubjects> {
  const [shop, nodes, sellers, shipping] = await Promise.all([
    client.shop.findUnique({ where: { id: shopId }, select: { timezone: true } }),
    client.node.findMany({
      where: { shopId },
      orderBy: { name: "asc" },
      select: { id: true, name: true, timezone: true, sellerId: true, kind: true, city: true, province: true, country: true, acceptsReturns: true },
    }),
    client.seller.findMany({ where: { shopId }, orderBy: { name: "asc" }, select: { id: true, name: true } }),
    getShopShipping(shopId, client),
  ]);
  const corridors = shipping.config.corridors.map((c) => ({ id: c.id, name: c.name, nodeId: c.nodeId }));
  return { nodes, sellers, corridors, shopTimezone: shop?.timezone ?? "UTC" };
}
