// The suite's fake of Shopify's Admin API (admin-api-fake.ts) for a vitest file.
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import { FakeAdminApi } from "./admin-api-fake";

export * from "./admin-api-fake";

/**
 * The fake for a vitest file: listening for the whole file; after each test, a test that sent what
 * Shopify would refuse fails, and calls and scripts are forgotten (shops keep their state).
 */
export function useFakeAdminApi(): FakeAdminApi {
  const fake = new FakeAdminApi();
  beforeAll(() => fake.listen());
  afterEach(() => {
    const problems = [...fake.problems];
    fake.reset();
    expect(problems, "requests the Admin API would refuse").toEqual([]);
  });
  afterAll(() => fake.close());
  return fake;
}
