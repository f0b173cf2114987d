import type { ReactNode } from "react";
import type { MetaFunction } from "@remix-run/node";
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

/** Every page names itself ("… · Nearhub"); this is the fallback, and an error's title in words. */
export const meta: MetaFunction = ({ error }) => [{ title: error ? `${errorWords(error)[0]} · Nearhub` : "Nearhub" }];

function errorWords(error: unknown): [title: string, detail: string] {
  if (isRouteErrorResponse(error) && error.status === 404) return ["Page not found", "There is no page at this address. The link may be wrong or out of date."];
  if (isRouteErrorResponse(error) && error.status < 500) {
    return ["Request refused", typeof error.data === "string" && error.data ? error.data : "This request could not be handled."];
  }
  return ["Something went wrong", "The error was logged. Try again, or go back to the previous page."];
}

export default function App() {
  return <Outlet />;
}

// What a visitor sees when nothing nearer handles an error (an address outside /app; the admin's
// own errors stay inside its frame, routes/app.tsx): what happened in words and a way on. The
// production server runs Remix in production mode, so an unexpected error reaches here without its
// message or stack (they are in the server's log).
export function ErrorBoundary() {
  const [title, detail] = errorWords(useRouteError());
  return (
    <main style={{ font: "16px/1.5 system-ui, sans-serif", maxWidth: 720, margin: "4rem auto", padding: "0 1rem" }}>
      <h1>{title}</h1>
      <p>{detail}</p>
      <p>
        <a href="/app">Go to Nearhub</a>
      </p>
    </main>
  );
}
