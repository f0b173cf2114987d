// Landing page outside Shopify admin: explains the app; in demo mode, leads to the admin.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { env } from "~/env.server";
import { addDocumentResponseHeaders } from "~/shopify.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  // Shopify opens the app URL with ?shop=...; send it into the embedded app, framable by that shop's
  // admin only (the page itself, without ?shop=, by nobody: entry.server.tsx).
  if (url.searchParams.get("shop")) {
    const headers = new Headers();
    addDocumentResponseHeaders(request, headers);
    throw redirect(`/app?${url.searchParams.toString()}`, { headers });
  }
  return { demo: env().demo };
}

export default function Index() {
  const { demo } = useLoaderData<typeof loader>();
  return (
    <main style={{ font: "16px/1.5 system-ui, sans-serif", maxWidth: 720, margin: "4rem auto", padding: "0 1rem" }}>
      <h1>Nearhub</h1>
      <p>
        Micro-fulfilment for small marketplaces: map every order to the best node of your network (central warehouse,
        city micro-hubs, micro-factories, creator studios), show shoppers honest live delivery quotes, and route returns
        to where they resell fastest.
      </p>
      {demo ? (
        <p>
          <Link to="/app">Open the demo admin →</Link>
        </p>
      ) : (
        <p>Install Nearhub from the Shopify App Store, then open it from your Shopify admin.</p>
      )}
    </main>
  );
}
