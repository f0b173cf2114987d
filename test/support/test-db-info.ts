// What test/support/global-setup.ts hands to each test file (through vitest's provide/inject).
export type TestDbInfo =
  | { kind: "sqlite"; dir: string; template: string; label: string }
  | { kind: "postgresql"; adminUrl: string; template: string; prefix: string; label: string };

declare module "vitest" {
  export interface ProvidedContext {
    nearhubTestDb: TestDbInfo;
  }
}
