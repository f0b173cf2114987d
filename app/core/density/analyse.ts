// Density analysis: where the orders are, how fast each seller's and SKU's demand moves there, and
// what each city cluster and each seller should be served by (local micro-fulfilment, a micro-factory,
// or the central warehouse), with the two clusters a 90-day pilot should start with and why.
// Pure: plain arrays in, a report out; the clock is `now`, the cost model an injected estimator.
import { cellArea, latLngToCell, UNITS } from "h3-js";
import { greatCircleM } from "../geo/distance";
import { formatMinor } from "../money/money";
import { gateSubject, isAvailable, orderPurpose } from "../network/availability";
import type { ProductProfile } from "../network/types";
import { clusterCells } from "./clusters";
import { densityConfigSchema, type DensityConfig } from "./config";
import type {
  ClusterReport,
  DensityInput,
  DensityOrder,
  DensityReport,
  PilotPick,
  SavingEstimate,
  SellerReport,
  SkuVelocity,
} from "./types";

const DAY_MS = 86_400_000;

const pct = (x: number) => `${Math.round(x * 100)}%`;
const perDay = (x: number) => (x >= 10 ? x.toFixed(0) : x >= 1 ? x.toFixed(1) : x.toFixed(2));

interface Tally {
  units: number;
  recentUnits: number;
  orders: number;
}

const tally = (): Tally => ({ units: 0, recentUnits: 0, orders: 0 });

interface ClusterAcc {
  index: number;
  orders: DensityOrder[];
  recentOrders: number;
  units: number;
  mtoUnits: number;
  lat: number;
  lng: number;
  cities: Map<string, number>;
  bySku: Map<string, Tally>;
  bySeller: Map<string, number>;
}

export function analyseDensity(input: DensityInput): DensityReport {
  const cfg: DensityConfig = densityConfigSchema.parse(input.config ?? {});
  const to = input.now;
  const from = to - cfg.windowDays * DAY_MS;
  const recentFrom = to - cfg.recentDays * DAY_MS;
  const days = cfg.windowDays;
  const recentDays = Math.min(cfg.recentDays, cfg.windowDays);
  const warnings: string[] = [];
  const products = new Map(input.products.map((p) => [p.id, p]));
  const sellers = new Map(input.sellers.map((s) => [s.id, s]));
  const res = cfg.h3Resolution;

  // Orders in the window, each on its cell.
  const orders: { order: DensityOrder; cell: string; recent: boolean }[] = [];
  let outside = 0;
  let unlocated = 0;
  let unknownProducts = 0;
  for (const order of input.orders) {
    if (order.placedAt < from || order.placedAt > to) {
      outside++;
      continue;
    }
    if (!Number.isFinite(order.latitude) || !Number.isFinite(order.longitude) || Math.abs(order.latitude) > 90 || Math.abs(order.longitude) > 180) {
      unlocated++;
      continue;
    }
    for (const l of order.lines) if (!products.has(l.productId)) unknownProducts++;
    orders.push({ order, cell: latLngToCell(order.latitude, order.longitude, res), recent: order.placedAt >= recentFrom });
  }
  if (outside > 0) warnings.push(`${outside} orders outside the ${days}-day window were left out`);
  if (unlocated > 0) warnings.push(`${unlocated} orders without valid coordinates were left out`);
  if (unknownProducts > 0) warnings.push(`${unknownProducts} order lines name unknown products: counted as units, without a product profile`);

  const byCell = new Map<string, number>();
  for (const o of orders) byCell.set(o.cell, (byCell.get(o.cell) ?? 0) + 1);
  const grid = clusterCells(byCell, cfg.cell.minOrdersPerDay * days, cfg.joinRings);

  const sellerOf = (l: { productId: string; sellerId?: string | null }) => l.sellerId ?? products.get(l.productId)?.sellerId ?? null;

  // Per cluster, per seller, per SKU.
  let accs: ClusterAcc[] = grid.clusters.map((_, index) => ({
    index,
    orders: [],
    recentOrders: 0,
    units: 0,
    mtoUnits: 0,
    lat: 0,
    lng: 0,
    cities: new Map(),
    bySku: new Map(),
    bySeller: new Map(),
  }));
  for (const o of orders) {
    const c = grid.cellCluster.get(o.cell);
    if (c === undefined) continue;
    accs[c].orders.push(o.order);
  }
  // Clusters below the floor fold into the long tail.
  accs = accs.filter((a) => a.orders.length >= cfg.cluster.minOrdersPerDay * days);
  accs.sort((a, b) => b.orders.length - a.orders.length || a.index - b.index);
  const clusterOfOrder = new Map<DensityOrder, number>();
  accs.forEach((a, i) => {
    for (const order of a.orders) clusterOfOrder.set(order, i);
  });
  const cellsOf = accs.map((a) => new Set(grid.clusters[a.index].cells));
  const clusterOfPoint = (lat: number, lng: number): number => {
    const cell = latLngToCell(lat, lng, res);
    return cellsOf.findIndex((cells) => cells.has(cell));
  };

  const skuAll = new Map<string, Tally>();
  const sellerAcc = new Map<string, { units: number; recentUnits: number; orders: number; mto: number; byCluster: Map<number, number>; bySku: Map<string, Tally> }>();
  let totalUnits = 0;
  for (const { order, recent } of orders) {
    const c = clusterOfOrder.get(order);
    const acc = c === undefined ? null : accs[c];
    if (acc) {
      if (recent) acc.recentOrders++;
      acc.lat += order.latitude;
      acc.lng += order.longitude;
      if (order.city) acc.cities.set(order.city, (acc.cities.get(order.city) ?? 0) + 1);
    }
    const sellersInOrder = new Set<string>();
    const skusInOrder = new Set<string>();
    for (const l of order.lines) {
      const p = products.get(l.productId);
      const seller = sellerOf(l);
      totalUnits += l.quantity;
      const all = skuAll.get(l.productId) ?? tally();
      skuAll.set(l.productId, all);
      all.units += l.quantity;
      if (recent) all.recentUnits += l.quantity;
      if (!skusInOrder.has(l.productId)) {
        all.orders++;
        skusInOrder.add(l.productId);
      }
      if (acc) {
        acc.units += l.quantity;
        if (p?.madeToOrder) acc.mtoUnits += l.quantity;
        const t = acc.bySku.get(l.productId) ?? tally();
        acc.bySku.set(l.productId, t);
        t.units += l.quantity;
        if (recent) t.recentUnits += l.quantity;
        t.orders++;
        if (seller) acc.bySeller.set(seller, (acc.bySeller.get(seller) ?? 0) + l.quantity);
      }
      if (seller) {
        let s = sellerAcc.get(seller);
        if (!s) sellerAcc.set(seller, (s = { units: 0, recentUnits: 0, orders: 0, mto: 0, byCluster: new Map(), bySku: new Map() }));
        s.units += l.quantity;
        if (recent) s.recentUnits += l.quantity;
        if (p?.madeToOrder) s.mto += l.quantity;
        if (c !== undefined) s.byCluster.set(c, (s.byCluster.get(c) ?? 0) + l.quantity);
        const t = s.bySku.get(l.productId) ?? tally();
        s.bySku.set(l.productId, t);
        t.units += l.quantity;
        if (recent) t.recentUnits += l.quantity;
        t.orders++;
        if (!sellersInOrder.has(seller)) {
          s.orders++;
          sellersInOrder.add(seller);
        }
      }
    }
  }

  const velocity = (productId: string, t: Tally): SkuVelocity => {
    const p: ProductProfile | undefined = products.get(productId);
    return {
      productId,
      sku: p?.sku ?? productId,
      sellerId: p?.sellerId ?? null,
      madeToOrder: p?.madeToOrder ?? false,
      unitsPerDay: t.units / days,
      recentUnitsPerDay: t.recentUnits / recentDays,
      ordersPerDay: t.orders / days,
    };
  };
  const topSkus = (m: Map<string, Tally>, minPerDay = 0): SkuVelocity[] =>
    [...m.entries()]
      .map(([id, t]) => velocity(id, t))
      .filter((v) => v.unitsPerDay >= minPerDay)
      .sort((a, b) => b.unitsPerDay - a.unitsPerDay || (a.sku < b.sku ? -1 : 1))
      .slice(0, cfg.sku.listed);

  const sellerHome = new Map<string, number>();
  for (const s of input.sellers) {
    const c = clusterOfPoint(s.latitude, s.longitude);
    if (c >= 0) sellerHome.set(s.id, c);
  }

  // Cluster reports.
  const names = new Map<string, number>();
  // A cluster is already served only by nodes that may take orders (the availability gate, with nothing of today asked).
  const serving = (input.nodes ?? []).filter((node) => isAvailable(gateSubject(node), orderPurpose(node)));
  const clusters: ClusterReport[] = accs.map((a, i) => {
    const n = a.orders.length;
    const centroid = { latitude: a.lat / n, longitude: a.lng / n };
    const distances = a.orders.map((o) => greatCircleM(centroid.latitude, centroid.longitude, o.latitude, o.longitude)).sort((x, y) => x - y);
    const radiusM = Math.round(distances[Math.min(distances.length - 1, Math.floor(distances.length * 0.9))]);
    const cells = grid.clusters[a.index].cells;
    // Area where its orders are: the cells with at least one order.
    const areaKm2 = cells.reduce((s, c) => s + (byCell.has(c) ? cellArea(c, UNITS.km2) : 0), 0);
    let local = 0;
    for (const [seller, units] of a.bySeller) if (sellerHome.get(seller) === i) local += units;
    const nodes = serving
      .filter((node) => cellsOf[i].has(latLngToCell(node.latitude, node.longitude, res)))
      .map((node) => ({ id: node.id, handle: node.handle, name: node.name, kind: node.kind }));
    const topCity: string | undefined = [...a.cities.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))[0]?.[0];
    const sellerCity = input.sellers.find((s) => sellerHome.get(s.id) === i && s.city)?.city;
    let name: string = topCity ?? sellerCity ?? `around ${centroid.latitude.toFixed(2)}, ${centroid.longitude.toFixed(2)}`;
    const seen = names.get(name) ?? 0;
    names.set(name, seen + 1);
    if (seen > 0) name = `${name} (${seen + 1})`;
    const ordersPerDay = n / days;
    return {
      id: `c${i + 1}`,
      name,
      centroid,
      radiusM,
      cells,
      areaKm2,
      orders: n,
      ordersPerDay,
      recentOrdersPerDay: a.recentOrders / recentDays,
      shareOfOrders: orders.length > 0 ? n / orders.length : 0,
      unitsPerDay: a.units / days,
      ordersPerKm2PerDay: areaKm2 > 0 ? ordersPerDay / areaKm2 : 0,
      sameCitySellerShare: a.units > 0 ? local / a.units : 0,
      madeToOrderUnitsPerDay: a.mtoUnits / days,
      madeToOrderShare: a.units > 0 ? a.mtoUnits / a.units : 0,
      topSkus: topSkus(a.bySku, cfg.sku.minUnitsPerWeek / 7),
      sellers: [...a.bySeller.entries()]
        .map(([sellerId, units]) => ({ sellerId, unitsPerDay: units / days, share: units / a.units }))
        .sort((x, y) => y.unitsPerDay - x.unitsPerDay || (x.sellerId < y.sellerId ? -1 : 1)),
      nodes,
      saving: null,
      recommendation: "CENTRAL",
      reasons: [],
    };
  });

  // Cost of serving each cluster locally vs centrally, on a sample of its orders.
  if (input.saving) {
    clusters.forEach((c, i) => {
      const sorted = [...accs[i].orders].sort((x, y) => x.placedAt - y.placedAt || (x.id < y.id ? -1 : 1));
      const k = Math.min(cfg.saving.sampleOrders, sorted.length);
      const sample = Array.from({ length: k }, (_, j) => sorted[Math.floor(((j + 0.5) * sorted.length) / k)]);
      c.saving = input.saving!({ clusterId: c.id, name: c.name, centroid: c.centroid, radiusM: c.radiusM, nodeIds: c.nodes.map((x) => x.id), sample });
    });
  }

  for (const c of clusters) recommendCluster(c, cfg, orders.length > 0);

  // Seller reports.
  const sellerReports: SellerReport[] = [...sellerAcc.entries()]
    .map(([sellerId, s]): SellerReport => {
      const seller = sellers.get(sellerId);
      const inClusters = [...s.byCluster.entries()]
        .map(([c, units]) => ({
          clusterId: clusters[c].id,
          unitsPerDay: units / days,
          share: units / s.units,
          skusToStock: [...accs[c].bySku.entries()]
            .filter(([productId, t]) => sellerOf({ productId }) === sellerId && t.units / days >= cfg.sku.minUnitsPerWeek / 7)
            .sort((x, y) => y[1].units - x[1].units || (x[0] < y[0] ? -1 : 1))
            .slice(0, cfg.sku.listed)
            .map(([productId]) => products.get(productId)?.sku ?? productId),
        }))
        .sort((x, y) => y.unitsPerDay - x.unitsPerDay || (x.clusterId < y.clusterId ? -1 : 1));
      let localUnits = 0;
      for (const [c, units] of s.byCluster) if (clusters[c].recommendation !== "CENTRAL") localUnits += units;
      const home = sellerHome.get(sellerId);
      const report: SellerReport = {
        sellerId,
        name: seller?.name ?? sellerId,
        homeClusterId: home === undefined ? null : clusters[home].id,
        ordersPerDay: s.orders / days,
        unitsPerDay: s.units / days,
        recentUnitsPerDay: s.recentUnits / recentDays,
        clusters: inClusters,
        localShare: s.units > 0 ? localUnits / s.units : 0,
        madeToOrderShare: s.units > 0 ? s.mto / s.units : 0,
        topSkus: topSkus(s.bySku),
        recommendation: "CENTRAL",
        reasons: [],
      };
      recommendSeller(report, clusters, cfg);
      return report;
    })
    .sort((a, b) => b.unitsPerDay - a.unitsPerDay || (a.sellerId < b.sellerId ? -1 : 1));
  if (sellerAcc.size === 0 && orders.length > 0) {
    warnings.push("no order line names a seller (lines without a seller, products without one): no seller recommendations");
  }

  const clustered = clusters.reduce((s, c) => s + c.orders, 0);
  const report: DensityReport = {
    window: { from, to, days },
    totals: { orders: orders.length, ordersPerDay: orders.length / days, unitsPerDay: totalUnits / days, clusteredShare: orders.length > 0 ? clustered / orders.length : 0 },
    clusters,
    longTail: {
      orders: orders.length - clustered,
      ordersPerDay: (orders.length - clustered) / days,
      shareOfOrders: orders.length > 0 ? (orders.length - clustered) / orders.length : 0,
    },
    sellers: sellerReports,
    skus: [...skuAll.entries()].map(([id, t]) => velocity(id, t)).sort((a, b) => b.unitsPerDay - a.unitsPerDay || (a.sku < b.sku ? -1 : 1)),
    pilot: pickPilot(clusters, cfg),
    config: cfg,
    warnings,
  };
  return report;
}

/** An estimate that priced at least one order; otherwise the saving is unknown. */
function priced(s: SavingEstimate | null): SavingEstimate | null {
  return s && s.priced > 0 ? s : null;
}

function savingText(s: SavingEstimate): string {
  if (s.priced === 0) return `the saving could not be priced (${s.reasons.join("; ") || "no sampled order priced both ways"})`;
  return (
    `serving it locally ${s.perOrderMinor >= 0 ? "saves" : "costs"} ${formatMinor(Math.abs(s.perOrderMinor), s.currency)}${s.perOrderMinor >= 0 ? "" : " more"} an order ` +
    `(${s.priced} sampled orders: ${formatMinor(Math.round(s.centralMinor / Math.max(1, s.priced)), s.currency)} central vs ` +
    `${formatMinor(Math.round(s.localMinor / Math.max(1, s.priced)), s.currency)} local, ${s.localFrom})`
  );
}

function recommendCluster(c: ClusterReport, cfg: DensityConfig, any: boolean): void {
  const reasons = c.reasons;
  reasons.push(
    `${perDay(c.ordersPerDay)} orders a day (${pct(c.shareOfOrders)} of all orders; ${perDay(c.recentOrdersPerDay)} a day over the last ${Math.min(cfg.recentDays, cfg.windowDays)} days), ` +
      `${c.ordersPerKm2PerDay.toFixed(2)} a day per km² over ${Math.round(c.areaKm2)} km²`,
  );
  reasons.push(`${pct(c.sameCitySellerShare)} of its units come from sellers based in it`);
  if (c.saving) reasons.push(savingText(c.saving));
  if (c.nodes.length > 0) reasons.push(`already served by ${c.nodes.map((n) => n.name).join(", ")}`);
  if (!any) return;
  const mto = cfg.microFactory;
  if (c.madeToOrderUnitsPerDay >= mto.minUnitsPerDay && c.madeToOrderShare >= mto.minShare) {
    c.recommendation = "MICRO_FACTORY";
    reasons.push(
      `micro-factory: ${perDay(c.madeToOrderUnitsPerDay)} made-to-order units a day (${pct(c.madeToOrderShare)} of its units), ` +
        `at least ${mto.minUnitsPerDay} a day and ${pct(mto.minShare)}`,
    );
    return;
  }
  const local = cfg.local;
  const saving = priced(c.saving);
  const savesEnough = saving === null || saving.perOrderMinor >= local.minSavingPerOrderMinor;
  if (c.ordersPerDay >= local.minOrdersPerDay && savesEnough) {
    c.recommendation = "LOCAL_MICRO_FULFILMENT";
    reasons.push(
      `local micro-fulfilment: at least ${local.minOrdersPerDay} orders a day` +
        (saving === null
          ? ""
          : local.minSavingPerOrderMinor >= 0
            ? ` and a saving of at least ${formatMinor(local.minSavingPerOrderMinor, saving.currency)} an order`
            : ` and local costing at most ${formatMinor(-local.minSavingPerOrderMinor, saving.currency)} more an order`),
    );
    return;
  }
  c.reasons.push(
    c.ordersPerDay < local.minOrdersPerDay
      ? `central: under the ${local.minOrdersPerDay} orders a day local micro-fulfilment needs`
      : local.minSavingPerOrderMinor >= 0
        ? `central: a local node would save less than ${formatMinor(local.minSavingPerOrderMinor, saving!.currency)} an order`
        : `central: a local node would cost more than ${formatMinor(-local.minSavingPerOrderMinor, saving!.currency)} more an order`,
  );
}

function recommendSeller(s: SellerReport, clusters: ClusterReport[], cfg: DensityConfig): void {
  const reasons = s.reasons;
  const where = s.clusters
    .slice(0, 3)
    .map((c) => `${clusters.find((x) => x.id === c.clusterId)!.name} ${pct(c.share)}`)
    .join(", ");
  reasons.push(`${perDay(s.ordersPerDay)} orders and ${perDay(s.unitsPerDay)} units a day${where ? `; units by cluster: ${where}` : ""}`);
  if (s.ordersPerDay < cfg.seller.minOrdersPerDay) {
    reasons.push(`central: under ${cfg.seller.minOrdersPerDay} orders a day, too few to stock anywhere else`);
    return;
  }
  const servedLocally = (c: { clusterId: string }) => clusters.find((x) => x.id === c.clusterId)!.recommendation !== "CENTRAL";
  const factoryClusters = s.clusters.filter((c) => clusters.find((x) => x.id === c.clusterId)!.recommendation === "MICRO_FACTORY");
  if (s.madeToOrderShare >= cfg.microFactory.minShare && factoryClusters.length > 0) {
    s.recommendation = "MICRO_FACTORY";
    reasons.push(
      `micro-factory: ${pct(s.madeToOrderShare)} of its units are made to order; make them in ${factoryClusters.map((c) => clusters.find((x) => x.id === c.clusterId)!.name).join(", ")}`,
    );
    return;
  }
  if (s.localShare >= cfg.seller.minLocalShare) {
    s.recommendation = "LOCAL_MICRO_FULFILMENT";
    const local = s.clusters.filter(servedLocally);
    const hubs = local.map((c) => clusters.find((x) => x.id === c.clusterId)!.name);
    const stock = local
      .filter((c) => c.skusToStock.length > 0)
      .map((c) => `${c.skusToStock.join(", ")} in ${clusters.find((x) => x.id === c.clusterId)!.name}`);
    reasons.push(
      `local micro-fulfilment: ${pct(s.localShare)} of its units go to clusters served locally (${hubs.join(", ")})` +
        (stock.length > 0 ? `; stock ${stock.join("; ")}` : "; none of its SKUs sells fast enough there to stock yet"),
    );
    return;
  }
  reasons.push(`central: only ${pct(s.localShare)} of its units go to clusters served locally (needs ${pct(cfg.seller.minLocalShare)})`);
}

function pickPilot(clusters: ClusterReport[], cfg: DensityConfig): { clusters: PilotPick[]; reasons: string[] } {
  const reasons: string[] = [];
  const eligible = clusters.filter((c) => c.recommendation !== "CENTRAL" && c.ordersPerDay >= cfg.pilot.minOrdersPerDay);
  const perDaySaving = (c: ClusterReport) => {
    const s = priced(c.saving);
    return s ? s.perOrderMinor * c.ordersPerDay : null;
  };
  // Volume first: a pilot has 90 days to show results, and a busy cluster shows them soonest.
  eligible.sort((a, b) => b.ordersPerDay - a.ordersPerDay || (perDaySaving(b) ?? 0) - (perDaySaving(a) ?? 0) || (a.id < b.id ? -1 : 1));
  reasons.push(
    `eligible: clusters recommended for local micro-fulfilment or a micro-factory with at least ${cfg.pilot.minOrdersPerDay} orders a day` +
      (clusters.some((c) => priced(c.saving)) ? ` where local costs at most ${formatMinor(-cfg.local.minSavingPerOrderMinor, clusters.find((c) => priced(c.saving))!.saving!.currency)} more an order` : "") +
      "; ranked by orders a day, then expected saving a day",
  );
  const picks = eligible.slice(0, cfg.pilot.clusters).map((c, i): PilotPick => {
    const saving = perDaySaving(c);
    const why = [
      `${i === 0 ? "first" : i === 1 ? "second" : `number ${i + 1}`}: ${perDay(c.ordersPerDay)} orders a day, ${pct(c.shareOfOrders)} of all orders`,
      `${pct(c.sameCitySellerShare)} of its units come from sellers in the same city`,
    ];
    const s = priced(c.saving);
    if (s && saving !== null) {
      why.push(
        s.perOrderMinor >= 0
          ? `expected saving ${formatMinor(s.perOrderMinor, s.currency)} an order, ${formatMinor(Math.round(saving), s.currency)} a day, about ${formatMinor(Math.round(saving * 90), s.currency)} over 90 days`
          : `expected extra cost ${formatMinor(-s.perOrderMinor, s.currency)} an order (${formatMinor(Math.round(-saving), s.currency)} a day, about ${formatMinor(Math.round(-saving * 90), s.currency)} over 90 days) for same-day delivery`,
      );
    }
    why.push(c.recommendation === "MICRO_FACTORY" ? "start with a micro-factory" : "start with a micro-hub");
    return {
      clusterId: c.id,
      name: c.name,
      recommendation: c.recommendation,
      ordersPerDay: c.ordersPerDay,
      shareOfOrders: c.shareOfOrders,
      sameCitySellerShare: c.sameCitySellerShare,
      savingPerOrderMinor: priced(c.saving)?.perOrderMinor ?? null,
      savingPerDayMinor: saving === null ? null : Math.round(saving),
      reasons: why,
    };
  });
  if (picks.length < cfg.pilot.clusters) {
    const others = clusters.filter((c) => !eligible.includes(c));
    reasons.push(
      `only ${picks.length} cluster${picks.length === 1 ? "" : "s"} qualif${picks.length === 1 ? "ies" : "y"} (local or micro-factory, at least ${cfg.pilot.minOrdersPerDay} orders a day)` +
        (others.length > 0 ? `; next: ${others.slice(0, 2).map((c) => `${c.name} at ${perDay(c.ordersPerDay)} a day (${c.recommendation.toLowerCase().replace(/_/g, " ")})`).join(", ")}` : ""),
    );
  }
  return { clusters: picks, reasons };
}
