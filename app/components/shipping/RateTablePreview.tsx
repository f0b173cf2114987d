// What the import understood, before anything is saved: the price table as parsed (cells with a
// problem marked and explained), the zoning and the transit days, and every problem by row and
// column.
import { Badge, Banner, BlockStack, Box, Card, InlineGrid, List, Text } from "@shopify/polaris";
import type { CsvIssue, RateCardPreview } from "~/core/costing/rate-card-csv";
import { formatIssue } from "~/core/costing/rate-card-csv";
import { formatAmount } from "~/core/money/money";

const TABLE_TITLES = { prices: "Price table", zoning: "Zoning table", transit: "Transit days" } as const;

const cellStyle = { padding: "4px 8px", borderBottom: "1px solid #ebebeb", textAlign: "right" as const, whiteSpace: "nowrap" as const };
const headStyle = { ...cellStyle, fontWeight: 600, background: "#f7f7f7" };
const badStyle = { background: "#fee9e8", outline: "2px solid #e51c00", outlineOffset: -2 };

function formatWeight(upTo: number, unit: string, grams: number) {
  return unit === "g" ? `${grams} g` : `${upTo} ${unit} (${grams} g)`;
}

export function RateTablePreview({ preview, issues, currency }: { preview: RateCardPreview; issues: CsvIssue[]; currency: string }) {
  const priceIssues = new Map<string, CsvIssue>();
  const badRows = new Set<number>();
  for (const i of issues) {
    if (i.table !== "prices" || i.row === null) continue;
    badRows.add(i.row);
    if (i.column !== null) priceIssues.set(`${i.row}:${i.column}`, i);
  }
  const prices = preview.prices;
  return (
    <BlockStack gap="400">
      {issues.length > 0 ? (
        <Banner tone="critical" title={`${issues.length} problem${issues.length === 1 ? "" : "s"} to fix before saving`}>
          <List>
            {issues.map((i, k) => (
              <List.Item key={k}>
                <span data-testid="csv-issue">
                  <strong>{TABLE_TITLES[i.table]}</strong>: {formatIssue(i)}
                </span>
              </List.Item>
            ))}
          </List>
        </Banner>
      ) : (
        <Banner tone="success" title="The tables read cleanly">
          <p>Check the prices below against the carrier’s list, then save the rate card.</p>
        </Banner>
      )}
      {preview.warnings.length > 0 ? (
        <Banner tone="warning" title="Worth a second look">
          <List>
            {preview.warnings.map((w) => (
              <List.Item key={w}>{w}</List.Item>
            ))}
          </List>
        </Banner>
      ) : null}
      {prices ? (
        <Card>
          <BlockStack gap="200">
            <Text as="h3" variant="headingSm">
              Prices as read ({currency}, weights in {prices.unit === "g" ? "grams" : `${prices.unit}, converted to grams`})
            </Text>
            <div style={{ overflowX: "auto" }}>
              <table style={{ borderCollapse: "collapse", fontSize: 13, width: "100%" }} data-testid="rate-preview-table">
                <thead>
                  <tr>
                    <th style={{ ...headStyle, textAlign: "left" }}>Row</th>
                    <th style={{ ...headStyle, textAlign: "left" }}>Up to</th>
                    {prices.zones.map((z) => (
                      <th key={z} style={headStyle}>
                        Zone {z}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {prices.bands.map((b) => (
                    <tr key={b.row} style={badRows.has(b.row) ? { background: "#fff8f7" } : undefined}>
                      <td style={{ ...cellStyle, textAlign: "left", color: "#616161" }}>{b.row}</td>
                      <td style={{ ...cellStyle, textAlign: "left", ...(priceIssues.has(`${b.row}:1`) ? badStyle : {}) }}>
                        {formatWeight(b.upTo, prices.unit, b.upToGrams)}
                      </td>
                      {prices.zones.map((z, zi) => {
                        const issue = priceIssues.get(`${b.row}:${zi + 2}`);
                        const v = b.pricesMinor[z];
                        return (
                          <td key={z} style={{ ...cellStyle, ...(issue ? badStyle : {}) }} title={issue ? formatIssue(issue) : undefined}>
                            {issue ? "⚠" : v == null ? <Text as="span" tone="subdued">not offered</Text> : formatAmount(v, currency)}
                          </td>
                        );
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </BlockStack>
        </Card>
      ) : null}
      <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
        {preview.zoning ? (
          <Card>
            <BlockStack gap="200">
              <Text as="h3" variant="headingSm">
                Zones {preview.zoning.by === "distance" ? `by distance from the shipping node (${preview.zoning.unit})` : "by postal-code prefix"}
              </Text>
              {preview.zoning.rows.length === 0 ? (
                <Text as="p" tone="subdued">
                  No rows read.
                </Text>
              ) : (
                <List>
                  {preview.zoning.rows.map((r) => (
                    <List.Item key={r.row}>
                      {preview.zoning?.by === "distance" ? `up to ${r.key}` : r.key} → zone {r.zone}
                    </List.Item>
                  ))}
                </List>
              )}
            </BlockStack>
          </Card>
        ) : null}
        {preview.transit ? (
          <Card>
            <BlockStack gap="200">
              <Text as="h3" variant="headingSm">
                Transit days after the ship day
              </Text>
              <List>
                {preview.transit.map((t) => (
                  <List.Item key={t.zone}>
                    Zone {t.zone}: {t.transitDaysMin === t.transitDaysMax ? t.transitDaysMin : `${t.transitDaysMin}–${t.transitDaysMax}`} business day
                    {t.transitDaysMax === 1 ? "" : "s"}
                  </List.Item>
                ))}
              </List>
            </BlockStack>
          </Card>
        ) : null}
      </InlineGrid>
      {issues.length === 0 ? (
        <Box>
          <Badge tone="success">Ready to save</Badge>
        </Box>
      ) : null}
    </BlockStack>
  );
}
