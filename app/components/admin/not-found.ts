// "Not found" as every admin loader says it: a 404 whose body names the thing in words ("return",
// "routing decision"), so the app's error boundary (routes/app.tsx) can say what was not found
// inside the app frame and link back to the section. Isomorphic (the global Response): loaders throw
// it, the boundary reads it.
export interface NotFoundBody {
  notFound: string;
}

/** Throws the 404 for a thing this shop does not have (e.g. notFound("return")). */
export function notFound(thing: string): never {
  throw new Response(JSON.stringify({ notFound: thing } satisfies NotFoundBody), {
    status: 404,
    statusText: "Not Found",
    headers: { "Content-Type": "application/json; charset=utf-8" },
  });
}

/** The thing named by a notFound() body, or null. */
export function notFoundThing(data: unknown): string | null {
  if (data && typeof data === "object" && typeof (data as NotFoundBody).notFound === "string") return (data as NotFoundBody).notFound;
  return null;
}
