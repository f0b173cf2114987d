// Every admin page, read from the route files (app/routes/app.*), so a page added on any branch is
// crawled without anyone listing it. Remix's flat-route names: dots nest, `_index` is the parent's
// own page, `$name` a parameter, `$` a splat, a leading `_` a pathless layout, `[.]` an escaped dot.
// A file without a default export is a resource route (no page) and is left out, as is the layout
// app.tsx itself.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

export interface AdminRoute {
  /** The route file, for messages. */
  file: string;
  /** The URL pattern, e.g. /app/returns/:id. */
  pattern: string;
  /** Its parameters in order (`*` for a splat). */
  params: string[];
}

function segments(name: string): string[] {
  const out: string[] = [];
  let current = "";
  for (let i = 0; i < name.length; i++) {
    if (name.startsWith("[.]", i)) {
      current += ".";
      i += 2;
    } else if (name[i] === ".") {
      out.push(current);
      current = "";
    } else current += name[i];
  }
  out.push(current);
  return out;
}

export function adminRoutes(routesDir: string): AdminRoute[] {
  const routes: AdminRoute[] = [];
  for (const file of readdirSync(routesDir).sort()) {
    if (!/^app\..+\.(tsx|ts|jsx|js)$/.test(file)) continue;
    if (!/export default/.test(readFileSync(path.join(routesDir, file), "utf8"))) continue;
    const parts: string[] = [];
    const params: string[] = [];
    for (let segment of segments(file.replace(/\.(tsx|ts|jsx|js)$/, ""))) {
      if (segment === "_index") continue;
      if (segment.startsWith("_")) continue; // pathless layout
      segment = segment.replace(/_$/, ""); // "not nested" marker
      if (segment === "$") {
        params.push("*");
        parts.push("*");
      } else if (segment.startsWith("$")) {
        params.push(segment.slice(1));
        parts.push(`:${segment.slice(1)}`);
      } else parts.push(segment);
    }
    routes.push({ file, pattern: `/${parts.join("/")}`, params });
  }
  return routes;
}
