import type { ReactNode } from "react";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { useNonce } from "./components/nonce";

export function Layout({ children }: { children: ReactNode }) {
  // Remix's inline scripts carry the response's nonce: the demo's CSP refuses any other inline script.
  const nonce = useNonce();
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

// What a visitor sees when nothing nearer handles an error: the status and a plain sentence. The
// production server runs Remix in production mode, so an unexpected error reaches here without its
// message or stack (they are in the server's log).
export function ErrorBoundary() {
  const error = useRouteError();
  const [title, detail] = isRouteErrorResponse(error)
    ? [`${error.status} ${error.statusText}`.trim(), typeof error.data === "string" ? error.data : null]
    : ["Something went wrong", "The error was logged. Try again, or go back to the previous page."];
  return (
    <main style={{ font: "16px/1.5 system-ui, sans-serif", maxWidth: 720, margin: "4rem auto", padding: "0 1rem" }}>
      <h1>{title}</h1>
      {detail ? <p>{detail}</p> : null}
    </main>
  );
}
