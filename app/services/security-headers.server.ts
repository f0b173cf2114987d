// Headers every HTML page carries (entry.server.tsx), beside the frame-ancestors policy Shopify's
// addDocumentResponseHeaders sets for embedded pages when the request names the shop (server.mjs
// adds X-Content-Type-Options: nosniff to every answer):
// - a page whose shop is unknown (the landing page, /auth/login, anything without ?shop=) may be
//   framed by nobody: Shopify admin always names the shop when it frames the app;
// - demo pages (no Shopify, an ordinary browser) get a full Content-Security-Policy: scripts only
//   from the app itself with this response's nonce, nothing framed, forms posted only to the app.
//   Styles may be inline: Polaris sets CSS variables in style attributes.

export function demoContentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export function addSecurityHeaders(headers: Headers, { demo, nonce }: { demo: boolean; nonce: string }): void {
  if (demo) {
    headers.set("Content-Security-Policy", demoContentSecurityPolicy(nonce));
    headers.set("X-Frame-Options", "DENY");
  } else if (!headers.has("Content-Security-Policy")) {
    headers.set("Content-Security-Policy", "frame-ancestors 'none'");
    headers.set("X-Frame-Options", "DENY");
  }
}
