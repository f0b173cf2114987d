// Import cycles between files (issue 10 item 8): `npm run lint` runs this over app/ after ESLint.
// The layer rules themselves (core pure, services ↛ routes/components, components ↛ *.server,
// the SDK instance ↛ services) are ESLint's: eslint.config.js. See ADR 0020.

/** @type {import("dependency-cruiser").IConfiguration} */
export default {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment:
        "No import cycles between files anywhere in app/, type-only imports included: a cycle means two modules are one and should be split or merged (ADR 0020).",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsConfig: { fileName: "tsconfig.json" },
    // Type-only imports count: a cycle of types still ties the modules together.
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: [".ts", ".tsx", ".js", ".mjs", ".json"] },
  },
};
