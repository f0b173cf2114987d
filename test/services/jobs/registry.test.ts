// Every job the app defines (app/services/jobs/all.server.ts) is shown on the Activity page in the
// merchant's words, and every switch it names is one env.server.ts reads: a new job that forgets
// either shows its raw name to merchants, or cannot be turned off.
import { describe, expect, it } from "vitest";
import { JOB_LABELS } from "~/services/activity.server";
import { jobDefinitions } from "~/services/jobs/all.server";
import { env } from "~/env.server";

describe("the app's jobs", () => {
  const jobs = jobDefinitions().filter((j) => !j.name.startsWith("test."));

  it("include the background work of every area", () => {
    expect(jobs.map((j) => j.name)).toEqual(
      expect.arrayContaining(["returns.effects", "routing.order", "catalog.sync", "insights.compute", "deliveries.post-events"]),
    );
  });

  it.each(jobs.map((j) => [j.name, j] as const))("%s has a label for the Activity page and a switch env.server.ts reads", (_name, job) => {
    expect(JOB_LABELS[job.name]).toMatch(/\w{3,}/);
    expect(JOB_LABELS[job.name]).not.toBe(job.name);
    expect(Object.keys(env().jobs.switches)).toContain(job.switch);
  });
});
