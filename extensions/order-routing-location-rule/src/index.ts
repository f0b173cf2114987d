// Entry point the Shopify CLI bundles (export "run" in shopify.extension.toml).
export { run } from "./run";
